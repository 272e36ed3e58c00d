// Package date provides [Date], a calendar day without a time of day or
// zone, for birth dates and invoice due dates. It encodes as "YYYY-MM-DD"
// (RFC 3339 full-date). When a Date is compared with an instant, the day is
// taken in UTC.
package date
