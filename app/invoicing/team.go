package invoicing

import (
	"context"
	"errors"
	"fmt"
	"html"
)

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
	// SharedCustomer returns the QuickBooks customer id kept on the
	// organization's field named SharedCustomerField ("" when empty).
	// shared is false when Pipedrive has no such field.
	SharedCustomer(ctx context.Context, orgID int64) (customerID string, shared bool, err error)
	// ShareCustomer writes customerID into that field ("" clears it),
	// adding the field when it is missing. A user who may not add fields
	// gets a *SharedFieldError.
	ShareCustomer(ctx context.Context, orgID int64, customerID string) error
	// UpdateNote replaces the content of the note noteID.
	UpdateNote(ctx context.Context, noteID int64, html string) error
}

// SharedCustomerField is the name of the Pipedrive organization field
// that keeps the organization's QuickBooks customer id for the team.
const SharedCustomerField = "QuickBooks customer"

// SharedFieldError: Pipedrive has no field for what the team shares, and
// the signed-in user may not add one. What was done is kept on this
// computer only.
type SharedFieldError struct {
	Entity Entity // where the field belongs
	Name   string // the field's name
	Err    error
}

func (e *SharedFieldError) Error() string {
	return fmt.Sprintf("Pipedrive has no %s field %q and your Pipedrive user may not add fields: "+
		"ask a Pipedrive admin to add a text field named %q to %ss (Company settings → Data fields). "+
		"Until then the link is kept on this computer only", e.Entity, e.Name, e.Name, e.Entity)
}

func (e *SharedFieldError) Unwrap() error { return e.Err }

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

// sharedLink returns the customer the team linked to the party's
// organization, as a link in the draft's currency; ok is false when the
// team shares nothing for it (a person, no field, or no TeamCRM). A linked
// customer in another currency is no link for this draft.
func (s *Service) sharedLink(ctx context.Context, party PartyRef, currency string, customers []QBCustomer, c Company) (link CustomerLink, shared bool, err error) {
	t, ok := s.team()
	if !ok || party.Entity != EntityOrganization || party.ID == 0 {
		return CustomerLink{}, false, nil
	}
	id, shared, err := t.SharedCustomer(ctx, party.ID)
	if errors.Is(err, ErrOffline) {
		return CustomerLink{}, false, nil
	}
	if err != nil || !shared {
		return CustomerLink{}, false, err
	}
	if id == "" {
		return CustomerLink{}, true, nil
	}
	for _, qc := range customers {
		if qc.ID == id {
			if customerCurrency(qc, c) != currency {
				return CustomerLink{}, false, nil
			}
			return CustomerLink{Party: party, Currency: currency, CustomerID: id, DisplayName: qc.DisplayName}, true, nil
		}
	}
	// A customer not among the active ones (made inactive, or not read offline): not linked.
	return CustomerLink{}, true, nil
}

// share writes the organization's customer to Pipedrive for the team. A
// party that is not an organization, or a CRM that is no TeamCRM, shares
// nothing.
func (s *Service) share(ctx context.Context, party PartyRef, customerID string) error {
	t, ok := s.team()
	if !ok || party.Entity != EntityOrganization || party.ID == 0 {
		return nil
	}
	// Out of reach, the link stays on this computer: the rep is not stopped for a write the team can
	// do without until the next link.
	if err := t.ShareCustomer(ctx, party.ID, customerID); err != nil && !errors.Is(err, ErrOffline) {
		return fmt.Errorf("share the customer link on Pipedrive organization %d: %w", party.ID, err)
	}
	return nil
}

// creatorName names the rep who created the invoice, from its marker: the
// signed-in rep's own name, else the Pipedrive user id.
func creatorName(inv Invoice, me Rep) string {
	m, ok := ParseMarker(inv.PrivateNote)
	switch {
	case !ok || m.RepID == 0:
		return ""
	case m.RepID == me.ID && me.Name != "":
		return me.Name
	}
	return fmt.Sprintf("Pipedrive user %d", m.RepID)
}

// statusNote is the deal's note for an invoice: its number, status, total,
// balance, due date, who created it and a link. It depends only on what
// QuickBooks holds, so every rep's app writes the same content for the
// same invoice, and a repeated or concurrent write changes nothing.
func statusNote(inv Invoice, st Status, url, by string) string {
	number := ""
	if inv.DocNumber != "" {
		number = " <b>" + html.EscapeString(inv.DocNumber) + "</b>"
	}
	due := ""
	if !inv.DueDate.IsZero() && st.State != Voided && st.State != Deleted {
		due = ", due " + inv.DueDate.String()
	}
	total := Money{Amount: inv.Total, Currency: inv.Currency}.String()
	balance := ""
	if st.State == PartiallyPaid {
		balance = ", balance " + Money{Amount: inv.Balance, Currency: inv.Currency}.String()
	}
	who := ""
	if by != "" {
		who = " Created by " + html.EscapeString(by) + " in Dealbooks."
	}
	return fmt.Sprintf(`<p>QuickBooks invoice%s: <b>%s</b>. Total %s%s%s.%s <a href="%s">Open in QuickBooks</a></p>`,
		number, html.EscapeString(st.String()), html.EscapeString(total), html.EscapeString(balance),
		html.EscapeString(due), who, html.EscapeString(url))
}

// writeStatusNotes updates, in place, the note of each invoice whose status
// changed, when the preferences want notes. Only the app that wrote a note
// knows its id, so a teammate's refresh never adds a second note; the same
// content from two apps is the same note. A failed write is left for the
// next status change: the invoice is up to date either way.
func (s *Service) writeStatusNotes(ctx context.Context, before map[string]Status, updates []CachedInvoice) {
	t, ok := s.team()
	if !ok {
		return
	}
	p, err := s.preferences(ctx)
	if err != nil || !p.WriteNote {
		return
	}
	me, _ := s.Rep(ctx)
	for _, ci := range updates {
		if ci.NoteID == 0 || before[ci.Invoice.ID] == ci.Status {
			continue
		}
		_ = t.UpdateNote(ctx, ci.NoteID, statusNote(ci.Invoice, ci.Status, s.acct.InvoiceURL(ci.Invoice.ID), creatorName(ci.Invoice, me)))
	}
}
