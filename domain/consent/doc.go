// Package consent names what a customer may agree to be contacted for:
// a [Purpose] on a channel, together a [Scope]. Consent is opt-in: without
// a recorded ConsentGiven for a scope, the answer is no.
package consent
