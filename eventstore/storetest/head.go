package storetest

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/ledgerline/ledgerline/eventstore"
)

// headCase is a case of the optional [eventstore.HeadReader] capability;
// it runs only on stores that have it.
type headCase func(t *testing.T, s eventstore.Store, h eventstore.HeadReader)

func headCases() []contractCase {
	return []contractCase{
		{name: "EmptyLogHeadIsZero", run: headCase(testHeadEmpty).onHeadReader},
		{name: "HeadIsLastVisiblePosition", run: headCase(testHeadLast).onHeadReader},
	}
}

// onHeadReader runs the case if s is a HeadReader. A store without the
// capability skips these cases: [eventstore.Head] then pages ReadAll,
// whose guarantees the other cases prove.
func (c headCase) onHeadReader(t *testing.T, s eventstore.Store) {
	h, ok := s.(eventstore.HeadReader)
	if !ok {
		t.Skipf("%T does not implement the optional eventstore.HeadReader", s)
	}
	c(t, s, h)
}

func testHeadEmpty(t *testing.T, _ eventstore.Store, h eventstore.HeadReader) {
	head, err := h.Head(t.Context())
	require.NoError(t, err)
	require.Zero(t, head)
}

// testHeadLast checks the head against the last position ReadAll shows,
// once the log shows every event appended: the capability and the
// fallback of [eventstore.Head] must agree.
func testHeadLast(t *testing.T, s eventstore.Store, h eventstore.HeadReader) {
	logs := appendMixed(t, s)
	recs := readAll(t, s, eventstore.Filter{})
	require.Len(t, recs, len(logs))
	head, err := h.Head(t.Context())
	require.NoError(t, err)
	require.Equal(t, lastPosition(recs), head)
	res := mustAppend(t, s, streamA, eventstore.Any, newEvents(2))
	settle(t, s, len(logs)+2)
	head, err = h.Head(t.Context())
	require.NoError(t, err)
	require.Equal(t, res.LastPosition, head, "the head moves with the log")
}
