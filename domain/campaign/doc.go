// Package campaign is the campaign aggregate (stream "campaign-<uuid>"): a
// marketing action defined once — channel, consent purpose, audience rule,
// offer, run time and a [FrequencyCap] — and later closed.
//
// Targeting customers happens on their own streams: the command layer
// reads a campaign's [State] and passes its channel, purpose and cap to
// customer.TargetCampaign, which records the customer as targeted or
// skipped (no consent, frequency cap).
package campaign
