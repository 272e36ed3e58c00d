package commands

import (
	"context"
	"fmt"

	"github.com/ledgerline/ledgerline/domain"
	"github.com/ledgerline/ledgerline/eventstore"
)

// ReadPage is how many events ReadStream asks the store for at a time.
const ReadPage = 1000

// ReadStream reads every event of stream in order, decodes it through cat
// and calls fn with the record and its payload. It fails with an error
// matching eventstore.ErrStreamNotFound for an empty stream, and on an
// event this build cannot decode.
func ReadStream(ctx context.Context, store eventstore.Store, cat *domain.Catalogue, stream string, fn func(eventstore.Record, domain.Event)) error {
	from := uint64(1)
	for {
		page, err := store.ReadStream(ctx, stream, eventstore.ReadStreamOptions{From: from, Limit: ReadPage})
		if err != nil {
			return fmt.Errorf("load %s: %w", stream, err)
		}
		for _, r := range page {
			e, err := cat.Decode(r.Type, r.SchemaVersion, r.Data)
			if err != nil {
				return fmt.Errorf("load %s version %d: %w", stream, r.Version, err)
			}
			fn(r, e)
		}
		if len(page) < ReadPage {
			return nil
		}
		from = page[len(page)-1].Version + 1
	}
}
