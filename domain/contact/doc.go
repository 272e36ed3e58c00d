// Package contact holds a customer's or a lead's contact details: e-mail
// address, phone number and postal address. Every field here is personal
// data; the event store encrypts it with the customer's key so that
// forgetting the customer makes it unreadable.
package contact
