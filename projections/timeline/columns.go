package timeline

import (
	"time"

	"github.com/google/uuid"

	"github.com/ledgerline/ledgerline/projections"
	"github.com/ledgerline/ledgerline/projections/readmodel"
)

// timelineColumns are timeline rows being built column by column, as
// timelineRow has them.
type timelineColumns struct {
	position, version, amount                                 *readmodel.Of[int64]
	eventID, customer                                         *readmodel.Of[uuid.UUID]
	stream, typ, channel, direction, summary, currency, actor *readmodel.Of[string]
	occurred, recorded                                        *readmodel.Of[time.Time]
}

func newTimelineColumns(n int) *timelineColumns {
	ints, ids, texts, times := readmodel.NewOf[int64], readmodel.NewOf[uuid.UUID], readmodel.NewOf[string], readmodel.NewOf[time.Time]
	return &timelineColumns{position: ints(n), version: ints(n), amount: ints(n), eventID: ids(n), customer: ids(n),
		stream: texts(n), typ: texts(n), channel: texts(n), direction: texts(n), summary: texts(n), currency: texts(n),
		actor: texts(n), occurred: times(n), recorded: times(n)}
}

// add appends e's row, described by en.
func (c *timelineColumns) add(e projections.Event, en entry) {
	c.position.Add(int64(e.Position))
	c.eventID.Add(e.ID)
	c.stream.Add(e.Stream)
	c.customer.AddOrNull(en.customer, en.customer == uuid.Nil)
	c.version.Add(int64(e.Version))
	c.typ.Add(e.Type)
	c.channel.AddOrNull(en.channel, en.channel == "")
	c.direction.AddOrNull(en.direction, en.direction == "")
	c.summary.Add(en.summary)
	c.amount.AddOrNull(en.amount, !en.hasAmount)
	c.currency.AddOrNull(en.currency, en.currency == "")
	c.actor.Add(e.Metadata.Actor)
	c.occurred.Add(e.OccurredAt)
	c.recorded.Add(e.RecordedAt)
}

// rows returns the rows, their columns in the order of columnNames.
func (c *timelineColumns) rows() projections.Rows {
	return projections.Rows{Table: "timeline", Columns: readmodel.Named(columnNames, c.position, c.eventID, c.stream,
		c.customer, c.version, c.typ, c.channel, c.direction, c.summary, c.amount, c.currency, c.actor, c.occurred, c.recorded)}
}
