// Package snapshot stores evaluations "as of a time" next to the
// projection whose facts they were computed from, consistently with a
// known position of the log.
//
// The read-model port has one kind of transaction, [readmodel.Store.Apply],
// which moves a projection's checkpoint. [Replace] uses it to hold the
// checkpoint where it is (from = to) while it writes an evaluation: if the
// projection applied events between the evaluation and the write, the
// checkpoint moved, the write is refused, and Replace evaluates again. The
// stored rows therefore always reflect the facts at exactly the recorded
// position, and nothing shows up in projection_checkpoints that the
// runtime did not put there.
package snapshot
