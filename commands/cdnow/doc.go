// Package cdnow imports the CDNOW purchase records (real customers of an
// online music retailer, 1997–98, the data set of Fader, Hardie & Lee) as
// customer events.
//
// Both files are read: the master file (a header line, four columns) and
// the 1/10 sample (no header, CRLF, five columns with the sample index).
// Each source customer becomes one customer stream with a registration
// event (keeping the source id and sample index) and one purchase event per
// line, occurred_at being the line's date and money integer cents in USD.
//
// Ids are deterministic (UUID v5 over a fixed namespace, the dataset, the
// source customer id and the line number), so importing a file twice adds
// nothing. Lines are validated a batch at a time before anything of the
// batch is written; a malformed line stops the import with a [LineError]
// naming file, line, column and rule, and nothing of its batch is stored.
package cdnow
