// Package channel names the ways ledgerline's staff and customers reach
// each other — phone, e-mail, SMS, messenger, chat, web form, social
// network, meeting, fax, letter — and the [Direction] of a contact.
package channel
