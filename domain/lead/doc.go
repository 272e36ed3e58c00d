// Package lead is the lead aggregate (stream "lead-<uuid>"): a prospect
// captured from a channel and maybe a campaign, then qualified or
// disqualified, and finally converted into a customer, whose id the
// Converted event names.
//
// A lead moves captured → qualified → converted; captured or qualified →
// disqualified. Disqualified and converted are final. Its name and contact
// details are personal data.
package lead
