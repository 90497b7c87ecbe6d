package invoicing

import (
	"context"
	"errors"
	"fmt"
)

// knownTaxCodes finishes TaxCodes: codes read from QuickBooks are kept with
// the stored company; offline (err wraps ErrOffline) the codes kept last are
// returned instead, when there are any. A draft built offline then still
// carries its tax rate, so the editor and a queued invoice show the total
// QuickBooks will charge, tax included.
func (s *Service) knownTaxCodes(ctx context.Context, codes []TaxCode, err error) ([]TaxCode, error) {
	if errors.Is(err, ErrOffline) {
		if c, cerr := s.repo.Company(ctx); cerr == nil && len(c.KnownTaxCodes) > 0 {
			return c.KnownTaxCodes, nil
		}
		return nil, err
	}
	if err != nil || len(codes) == 0 {
		return codes, err
	}
	s.storedCompanyMu.Lock()
	defer s.storedCompanyMu.Unlock()
	c, cerr := s.repo.Company(ctx)
	switch {
	case errors.Is(cerr, ErrNotFound):
		return codes, nil // kept once the company is stored
	case cerr != nil:
		return nil, fmt.Errorf("read stored QuickBooks company: %w", cerr)
	case sameTaxCodes(c.KnownTaxCodes, codes):
		return codes, nil
	}
	c.KnownTaxCodes = codes
	if err := s.repo.SaveCompany(ctx, c); err != nil {
		return nil, fmt.Errorf("store QuickBooks tax codes: %w", err)
	}
	return codes, nil
}

// saveCompany stores the company read from QuickBooks, keeping the tax
// codes stored with it before, or the ones this Service has read.
func (s *Service) saveCompany(ctx context.Context, c Company) error {
	s.storedCompanyMu.Lock()
	defer s.storedCompanyMu.Unlock()
	s.mu.Lock()
	c.KnownTaxCodes = s.taxCodes
	s.mu.Unlock()
	if len(c.KnownTaxCodes) == 0 {
		if stored, err := s.repo.Company(ctx); err == nil {
			c.KnownTaxCodes = stored.KnownTaxCodes
		}
	}
	return s.repo.SaveCompany(ctx, c)
}

func sameTaxCodes(a, b []TaxCode) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].ID != b[i].ID || a[i].Name != b[i].Name || !a[i].Rate.Equal(b[i].Rate) {
			return false
		}
	}
	return true
}
