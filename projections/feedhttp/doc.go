// Package feedhttp serves the event log to other services as server-sent
// events: an [http.Handler] for GET /feed.
//
// A client names what it wants with query parameters — type (repeatable or
// comma-separated event types), stream_prefix (repeatable) and after (a
// global position) — and receives every matching event after that
// position, oldest first: the history from the store, then live events as
// they are appended, with no gap and no duplicate, because the stream is
// one catch-up subscription of the store ([eventstore.Store.Subscribe]).
// There is no time limit on history: a client may start at position 0.
//
// Each event is one SSE message whose id is its global position:
//
//	id: 1234
//	event: customer.purchase_recorded
//	data: {"event_id":"…","type":"customer.purchase_recorded","position":1234,…}
//
// data is the event's public wire form, [feed.Envelope], on one line. A
// client that reconnects sends the id of the last event it processed in
// the Last-Event-ID header (browsers' EventSource does this by itself); it
// takes precedence over after, and the stream resumes right after it.
//
// While no event arrives, a comment (": keep-alive") is sent every
// heartbeat interval so that proxies keep the connection open. The stream
// never buffers more than one batch of events: each batch is written with
// a deadline, and a client that does not read within it is disconnected
// (it resumes with Last-Event-ID). The stream ends when the client goes
// away, when the store fails, or when [Handler.Close] is called at server
// shutdown.
//
// Bad parameters are answered with 400 and an RFC 9457 problem body
// ([Problem]) whose detail names the parameter and the rule.
package feedhttp
