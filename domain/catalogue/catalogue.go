package catalogue

import (
	"github.com/ledgerline/ledgerline/domain"
	"github.com/ledgerline/ledgerline/domain/campaign"
	"github.com/ledgerline/ledgerline/domain/customer"
	"github.com/ledgerline/ledgerline/domain/lead"
)

// New returns the catalogue of every event type. It is safe for
// concurrent use.
func New() *domain.Catalogue {
	return domain.NewCatalogue(customer.Events(), lead.Events(), campaign.Events())
}
