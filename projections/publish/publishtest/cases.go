package publishtest

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ledgerline/ledgerline/projections/publish"
)

// quiet is how long the suite waits for late messages (duplicates) after
// the expected number arrived.
const quiet = 300 * time.Millisecond

// everyEventArrives publishes history and live events: each arrives once,
// on its stream's topic, and each stream's events in version order.
func everyEventArrives(t *testing.T, r *rig) {
	r.appendEvents(150)
	rc := r.receive()
	f := r.forwarder(r.broker.Publisher)
	r.run(f)
	head := r.appendEvents(150)
	require.NoError(t, f.WaitFor(bounded(t), head))
	got := rc.wait(t, 300, quiet)
	log := r.log()
	assertDelivered(t, r, log, got)
	assert.Len(t, got, len(log), "without failures every event arrives exactly once")
}

// metadataCarriesIDs checks each message against the stored event: UUID,
// metadata and envelope.
func metadataCarriesIDs(t *testing.T, r *rig) {
	head := r.appendEvents(60)
	rc := r.receive()
	f := r.forwarder(r.broker.Publisher)
	r.run(f)
	require.NoError(t, f.WaitFor(bounded(t), head))
	byID := index(r.log())
	for _, g := range rc.wait(t, 60, quiet) {
		env, err := publish.Decode(g.msg)
		require.NoError(t, err)
		rec, ok := byID[env.EventID.String()]
		require.True(t, ok, "message %s is no stored event", g.msg.UUID)
		assertCarries(t, r, g, rec, env)
	}
}

// restartResumes stops a forwarder and starts another on a new
// connection: nothing already checkpointed is published again.
func restartResumes(t *testing.T, r *rig) {
	head1 := r.appendEvents(120)
	rc := r.receive()
	f1 := r.forwarder(r.broker.Publisher)
	stop := r.run(f1)
	require.NoError(t, f1.WaitFor(bounded(t), head1))
	stop()
	require.Equal(t, head1, r.checkpoint())
	head2 := r.appendEvents(120)
	f2 := r.forwarder(r.broker.Reopen(t))
	r.run(f2)
	require.NoError(t, f2.WaitFor(bounded(t), head2))
	got := rc.wait(t, 240, quiet)
	assertDelivered(t, r, r.log(), got)
	assert.Len(t, got, 240, "a clean restart publishes nothing twice")
}

// crashRepublishesTail publishes a batch without checkpointing it, as a
// process killed between the two would, then restarts: only that tail
// may arrive twice, with the same event ids and payloads.
func crashRepublishesTail(t *testing.T, r *rig) {
	head1 := r.appendEvents(100)
	rc := r.receive()
	f1 := r.forwarder(r.broker.Publisher)
	stop := r.run(f1)
	require.NoError(t, f1.WaitFor(bounded(t), head1))
	stop()
	head2 := r.appendEvents(100)
	log := r.log()
	tail := log[len(log)-100:]
	require.NoError(t, f1.Publish(bounded(t), tail), "publish without checkpoint")
	require.Equal(t, head1, r.checkpoint())
	f2 := r.forwarder(r.broker.Reopen(t))
	r.run(f2)
	require.NoError(t, f2.WaitFor(bounded(t), head2))
	got := rc.wait(t, 200, quiet)
	assertDelivered(t, r, log, got)
	counts := countByID(got)
	for _, rec := range log[:len(log)-100] {
		assert.Equal(t, 1, counts[rec.ID.String()], "event %d was checkpointed: published once", rec.Position)
	}
	for _, rec := range tail {
		assert.LessOrEqual(t, counts[rec.ID.String()], 2, "event %d of the tail: at most twice", rec.Position)
	}
	t.Logf("%d messages for %d events: %d re-published duplicates kept by the broker", len(got), len(log), len(got)-len(log))
}

// brokerErrorKeepsCheckpoint breaks the broker under a running forwarder:
// the failure matches ErrUnavailable, the checkpoint stays, and after the
// repair the forwarder catches up by itself.
func brokerErrorKeepsCheckpoint(t *testing.T, r *rig) {
	head1 := r.appendEvents(60)
	rc := r.receive()
	f := r.forwarder(r.broker.Publisher)
	r.run(f)
	require.NoError(t, f.WaitFor(bounded(t), head1))
	r.broker.Break(t)
	head2 := r.appendEvents(60)
	require.True(t, waitUntil(bounded(t), func() bool { return f.Status().Failures > 0 }), "the forwarder notices the broken broker")
	log := r.log()
	err := f.Publish(bounded(t), log[len(log)-60:])
	require.ErrorIs(t, err, publish.ErrUnavailable)
	assert.Equal(t, head1, r.checkpoint(), "the checkpoint stays while the broker refuses")
	assert.NotEmpty(t, f.Status().LastError)
	r.broker.Repair(t)
	require.NoError(t, f.WaitFor(bounded(t), head2), "the forwarder retries by itself")
	assertDelivered(t, r, log, rc.wait(t, 120, quiet))
	assert.Empty(t, f.Status().LastError, "a success clears the error")
}
