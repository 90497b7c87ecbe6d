package invoicing

import "context"

// This file holds what a team of reps shares through Pipedrive and QuickBooks themselves, with no server
// of ours: who the signed-in rep is, and the optional CRM port that reaches the shared state.

// Rep is the signed-in Pipedrive user.
type Rep struct {
	ID        int64
	Name      string
	CompanyID int64 // the Pipedrive company (company_id)
}

// TeamCRM is the part of the CRM a team shares through. A CRM that does
// not offer it leaves the Service working alone, as before: its invoices
// carry no marker and nothing is written back beyond the first note.
type TeamCRM interface {
	// Me returns the signed-in user and their company.
	Me(ctx context.Context) (Rep, error)
}

// team returns the CRM as a TeamCRM, if it is one.
func (s *Service) team() (TeamCRM, bool) {
	t, ok := s.crm.(TeamCRM)
	return t, ok
}

// Rep returns the signed-in Pipedrive user, read once per Service. ok is
// false when the CRM cannot say (no TeamCRM, or Pipedrive out of reach).
func (s *Service) Rep(ctx context.Context) (Rep, bool) {
	s.mu.Lock()
	known := s.rep
	s.mu.Unlock()
	if known != nil {
		return *known, true
	}
	t, ok := s.team()
	if !ok {
		return Rep{}, false
	}
	r, err := t.Me(ctx)
	if err != nil || r.CompanyID == 0 {
		return Rep{}, false
	}
	s.mu.Lock()
	s.rep = &r
	s.mu.Unlock()
	return r, true
}

// marker is the marker for an invoice of the deal created by this rep; ok
// is false when the rep is not known (the invoice then carries none).
func (s *Service) marker(ctx context.Context, dealID int64) (Marker, bool) {
	r, ok := s.Rep(ctx)
	if !ok || dealID <= 0 {
		return Marker{}, false
	}
	return Marker{CompanyID: r.CompanyID, DealID: dealID, RepID: r.ID}, true
}
