package invoicing

import (
	"context"
	"errors"
	"fmt"
)

// buildOffline builds the deal's draft from what is stored, for when Pipedrive cannot be reached: the draft
// the rep saved for the deal, else the deal as the deal list cached it (its customer, currency and dates,
// but not its products, which only Pipedrive knows: ProductsUnknown). A deal never listed nor opened is
// an error wrapping ErrOffline.
func (s *Service) buildOffline(ctx context.Context, dealID int64, offline error) (BuiltDraft, error) {
	saved, err := s.repo.Draft(ctx, dealID)
	switch {
	case err == nil:
		return BuiltDraft{Draft: saved, Warnings: Warnings(saved), Offline: true}, nil
	case !errors.Is(err, ErrNotFound):
		return BuiltDraft{}, fmt.Errorf("read draft of deal %d: %w", dealID, err)
	}
	deal, ok, err := s.cachedDeal(ctx, dealID)
	if err != nil {
		return BuiltDraft{}, err
	}
	if !ok {
		return BuiltDraft{}, offline
	}
	prefs, err := s.preferences(ctx)
	if err != nil {
		return BuiltDraft{}, err
	}
	company, err := s.Company(ctx)
	if err != nil {
		return BuiltDraft{}, errors.Join(offline, err)
	}
	d := newDraft(deal, prefs, company, s.today())
	switch {
	case deal.OrgID != 0:
		d.Customer = Customer{To: deal.OrgName, Party: PartyRef{Entity: EntityOrganization, ID: deal.OrgID}}
	case deal.PersonID != 0:
		d.Customer = Customer{To: deal.PersonName, Party: PartyRef{Entity: EntityPerson, ID: deal.PersonID}}
	}
	var matches []CustomerMatch
	if !d.Customer.Party.IsZero() {
		links, err := s.repo.CustomerLinks(ctx, d.Customer.Party)
		if err != nil {
			return BuiltDraft{}, fmt.Errorf("read customer links: %w", err)
		}
		// QuickBooks may still answer: then its customers are offered as matches.
		customers, err := offlineIsEmpty(s.customerList(ctx))
		if err != nil {
			return BuiltDraft{}, err
		}
		matches = applyCustomerLinks(&d, links, customers, company)
	}
	return BuiltDraft{Draft: d, Matches: matches, Warnings: Warnings(d), Offline: true, ProductsUnknown: true}, nil
}

// cachedDeal returns the deal as the deal list last cached it.
func (s *Service) cachedDeal(ctx context.Context, dealID int64) (Deal, bool, error) {
	deals, err := s.repo.Deals(ctx, DealQuery{})
	if err != nil {
		return Deal{}, false, fmt.Errorf("read cached deals: %w", err)
	}
	for _, d := range deals {
		if d.ID == dealID {
			return d, true, nil
		}
	}
	return Deal{}, false, nil
}
