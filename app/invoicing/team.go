package invoicing

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"html"
	"regexp"
	"slices"
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
	// Note reads the note noteID; one that is gone is ErrNotFound.
	Note(ctx context.Context, noteID int64) (DealNote, error)
	// AddDealStatusFields returns the deal fields named InvoiceStatusField
	// (text) and InvoicedAmountField (monetary), adding those missing. A
	// user who may not add fields gets a *SharedFieldError.
	AddDealStatusFields(ctx context.Context) (DealStatusFields, error)
	// SetDealStatusFields writes sum into the deal's fields f (a field ""
	// is left alone) unless they hold it already, and reports whether it
	// wrote: a value unchanged costs no write.
	SetDealStatusFields(ctx context.Context, dealID int64, f DealStatusFields, sum DealInvoiceSummary) (bool, error)
}

// The names of the deal fields Dealbooks adds when an admin asks it to.
const (
	InvoiceStatusField  = "Invoice status"
	InvoicedAmountField = "Invoiced amount"
)

// DealStatusFields are the deal fields, by field code, that Dealbooks
// keeps up to date with the deal's invoices; "" writes none.
type DealStatusFields struct {
	Status string // a text field: the status word (dealStatusWord)
	Amount string // a monetary or numeric field: the invoiced amount
}

// IsZero reports whether no field is chosen.
func (f DealStatusFields) IsZero() bool { return f.Status == "" && f.Amount == "" }

// DealInvoiceSummary is what the deal fields say about a deal's invoices.
type DealInvoiceSummary struct {
	Status string // "Open", "Sent", "Partially paid", "Overdue", "Paid", "Voided" or "Deleted"
	Amount Money
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
	if e.Entity == EntityDeal {
		return fmt.Sprintf("Pipedrive has no deal field %q and your Pipedrive user may not add fields: "+
			"ask a Pipedrive admin to add it to deals (Company settings → Data fields), or choose an existing deal field", e.Name)
	}
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

// ChangeAction is what a rep did to an invoice in Dealbooks.
type ChangeAction string

// The actions a note and the history name the rep of.
const (
	ChangeSent    ChangeAction = "sent"
	ChangeVoided  ChangeAction = "voided"
	ChangeDeleted ChangeAction = "deleted"
	// ChangeLinked: the rep linked an invoice made in QuickBooks to the deal.
	ChangeLinked ChangeAction = "linked"
)

// Change is the last action a rep took on an invoice in Dealbooks.
type Change struct {
	Action ChangeAction // "" for none
	By     string       // the rep's Pipedrive user name
}

// noteVerbs are the words a note says an action with, and reads it back by.
var noteVerbs = map[ChangeAction]string{ChangeSent: "Sent", ChangeVoided: "Voided", ChangeDeleted: "Deleted", ChangeLinked: "Linked"}

// noteChange finds the change sentence statusNote writes ("Sent by Ann Lee in Dealbooks.").
var noteChange = regexp.MustCompile(`(Sent|Voided|Deleted|Linked) by (.+?) in Dealbooks\.`)

// parseChange reads back the last change a note names; ok is false when it
// names none.
func parseChange(content string) (Change, bool) {
	m := noteChange.FindStringSubmatch(content)
	if m == nil {
		return Change{}, false
	}
	for a, verb := range noteVerbs {
		if verb == m[1] {
			return Change{Action: a, By: html.UnescapeString(m[2])}, true
		}
	}
	return Change{}, false
}

// repName names the Pipedrive user id: the signed-in rep, else from the
// CRM's users list (kept a day by the adapter); "" when it cannot be known.
func (s *Service) repName(ctx context.Context, id int64) string {
	if id == 0 {
		return ""
	}
	if me, ok := s.Rep(ctx); ok && me.ID == id && me.Name != "" {
		return me.Name
	}
	owners, err := s.Owners(ctx)
	if err != nil {
		return ""
	}
	for _, o := range owners {
		if o.ID == id {
			return o.Name
		}
	}
	return ""
}

// creator names who created the invoice: as cached, else from its marker;
// "Pipedrive user 12" only when the users list cannot name them.
func (s *Service) creator(ctx context.Context, ci CachedInvoice) string {
	if ci.CreatedBy != "" {
		return ci.CreatedBy
	}
	m, ok := ParseMarker(ci.Invoice.PrivateNote)
	if !ok || m.RepID == 0 {
		return ""
	}
	if name := s.repName(ctx, m.RepID); name != "" {
		return name
	}
	return fmt.Sprintf("Pipedrive user %d", m.RepID)
}

// markedCreator names the user the invoice's marker says created it; ""
// when it names none or the users list cannot name them.
func (s *Service) markedCreator(ctx context.Context, inv Invoice) string {
	m, ok := ParseMarker(inv.PrivateNote)
	if !ok {
		return ""
	}
	return s.repName(ctx, m.RepID)
}

// nameCreators sets CreatedBy on the invoices whose marker names a user
// the users list can name. It reports the indexes it named.
func (s *Service) nameCreators(ctx context.Context, cis []CachedInvoice) []int {
	var named []int
	for i := range cis {
		if cis[i].CreatedBy != "" {
			continue
		}
		if name := s.markedCreator(ctx, cis[i].Invoice); name != "" {
			cis[i].CreatedBy = name
			named = append(named, i)
		}
	}
	return named
}

// statusNote is the deal's note for an invoice: its number, status, total,
// balance, due date, who created it, who last changed it in Dealbooks and a
// link. It depends only on what QuickBooks holds and on what the note
// itself says of the last change (see noteFor), so every rep's app writes
// the same content for the same invoice, and a repeated or concurrent
// write changes nothing.
func statusNote(inv Invoice, st Status, url, by string, ch Change) string {
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
	if verb, ok := noteVerbs[ch.Action]; ok && ch.By != "" {
		who += " " + verb + " by " + html.EscapeString(ch.By) + " in Dealbooks."
	}
	return fmt.Sprintf(`<p>QuickBooks invoice%s: <b>%s</b>. Total %s%s%s.%s <a href="%s">Open in QuickBooks</a></p>`,
		number, html.EscapeString(st.String()), html.EscapeString(total), html.EscapeString(balance),
		html.EscapeString(due), who, html.EscapeString(url))
}

// tellTeam brings what Pipedrive shows of the invoices up to date after
// their status changed: each one's note, rewritten in place, and the deal
// fields the preferences chose. mine says this rep just acted on them
// (void, delete, send), with LastChange set. It returns the invoices with
// what it learned (note ids, the last change a note names), for the cache.
// Writes are best effort: a failed one is left for the next change, the
// invoices being up to date in QuickBooks either way.
func (s *Service) tellTeam(ctx context.Context, changed []CachedInvoice, mine bool) []CachedInvoice {
	t, ok := s.team()
	if !ok || len(changed) == 0 {
		return changed
	}
	p, err := s.preferences(ctx)
	if err != nil {
		return changed
	}
	out := slices.Clone(changed)
	var deals []int64
	for i := range out {
		if p.WriteNote && out[i].DealID != 0 {
			out[i] = s.noteFor(ctx, t, out[i], mine)
		}
		if !slices.Contains(deals, out[i].DealID) {
			deals = append(deals, out[i].DealID)
		}
	}
	for _, id := range deals {
		_ = s.writeDealFields(ctx, t, p.DealFields, id, out)
	}
	return out
}

// noteFor rewrites the invoice's note on its deal when its content would
// change. It never adds a note: a note another rep's app wrote, whose id
// this app does not know, is found once among the deal's notes by the link
// to the invoice (20 tokens a page) and its id kept; an invoice with no
// note keeps none, so two apps can never add one each. Unless mine, the
// note is read first (2 tokens): the last change it names is kept, and an
// unchanged content is not written again (10 tokens saved).
func (s *Service) noteFor(ctx context.Context, t TeamCRM, ci CachedInvoice, mine bool) CachedInvoice {
	url := s.acct.InvoiceURL(ci.Invoice.ID)
	current, read := "", false
	if ci.NoteID == 0 {
		n, found, err := s.findNote(ctx, ci.DealID, url)
		if err != nil || !found {
			return ci
		}
		ci.NoteID, current, read = n.ID, n.HTML, true
	}
	if !mine && !read {
		n, err := t.Note(ctx, ci.NoteID)
		if err != nil {
			return ci
		}
		current, read = n.HTML, true
	}
	if !mine {
		if ch, ok := parseChange(current); ok {
			ci.LastChange = ch
		}
	}
	content := statusNote(ci.Invoice, ci.Status, url, s.creator(ctx, ci), ci.LastChange)
	if read && current == content {
		return ci
	}
	_ = t.UpdateNote(ctx, ci.NoteID, content)
	return ci
}

// findNote finds the note on the deal that links to the invoice at url.
func (s *Service) findNote(ctx context.Context, dealID int64, url string) (DealNote, bool, error) {
	notes, err := s.crm.DealNotes(ctx, dealID)
	if err != nil {
		return DealNote{}, false, fmt.Errorf("read the notes on Pipedrive deal %d: %w", dealID, err)
	}
	for _, n := range notes {
		if linksTo(n.HTML, url) {
			return n, true, nil
		}
	}
	return DealNote{}, false, nil
}

// writeDealFields sets the chosen deal fields from the deal's invoices as
// cached, changed holding the freshest copies of some of them.
func (s *Service) writeDealFields(ctx context.Context, t TeamCRM, f DealStatusFields, dealID int64, changed []CachedInvoice) error {
	if f.IsZero() || dealID == 0 {
		return nil
	}
	invs, err := s.repo.Invoices(ctx, dealID)
	if err != nil {
		return fmt.Errorf("read the invoices of deal %d: %w", dealID, err)
	}
	for _, c := range changed {
		if i := slices.IndexFunc(invs, func(ci CachedInvoice) bool { return ci.Invoice.ID == c.Invoice.ID }); i >= 0 {
			invs[i] = c
		} else if c.DealID == dealID {
			invs = append(invs, c)
		}
	}
	sum, ok := dealSummary(invs, s.today())
	if !ok {
		return nil
	}
	_, err = t.SetDealStatusFields(ctx, dealID, f, sum)
	return err
}

// dealSummary sums a deal's invoices up for its fields. With several
// invoices the status is the latest invoice's (the one QuickBooks created
// last: its ids grow in creation order), as that is the one a rep acts on
// next; the amount is the sum of the totals of the invoices neither voided
// nor deleted, in the latest invoice's currency (a monetary field holds one
// currency; invoices in another are left out). ok is false for no invoices.
func dealSummary(invs []CachedInvoice, today Date) (DealInvoiceSummary, bool) {
	if len(invs) == 0 {
		return DealInvoiceSummary{}, false
	}
	latest := slices.MaxFunc(invs, func(a, b CachedInvoice) int { return compareIDs(a.Invoice.ID, b.Invoice.ID) })
	sum := DealInvoiceSummary{Status: dealStatusWord(latest.Invoice.Status(today)), Amount: Money{Currency: latest.Invoice.Currency}}
	for _, ci := range invs {
		st := ci.Invoice.Status(today).State
		if st == Voided || st == Deleted || ci.Invoice.Currency != sum.Amount.Currency {
			continue
		}
		sum.Amount.Amount = sum.Amount.Amount.Add(ci.Invoice.Total)
	}
	return sum, true
}

// compareIDs orders QuickBooks ids, which are numbers, numerically.
func compareIDs(a, b string) int {
	if c := cmp.Compare(len(a), len(b)); c != 0 {
		return c
	}
	return cmp.Compare(a, b)
}

// dealStatusWord is the one word a deal field shows for an invoice's
// status. It is the same in every rep's language: the field is shared.
func dealStatusWord(st Status) string {
	switch {
	case st.State == Deleted:
		return "Deleted"
	case st.State == Voided:
		return "Voided"
	case st.State == Paid:
		return "Paid"
	case st.Overdue:
		return "Overdue"
	case st.State == PartiallyPaid:
		return "Partially paid"
	case st.Sent:
		return "Sent"
	}
	return "Open"
}

// CreateDealStatusFields finds or adds the deal fields "Invoice status"
// and "Invoiced amount", for the preferences to choose. A Pipedrive user
// who may not add fields gets a *SharedFieldError.
func (s *Service) CreateDealStatusFields(ctx context.Context) (DealStatusFields, error) {
	t, ok := s.team()
	if !ok {
		return DealStatusFields{}, errors.New("this connection cannot add Pipedrive fields")
	}
	f, err := t.AddDealStatusFields(ctx)
	if err != nil {
		return DealStatusFields{}, fmt.Errorf("add the deal fields for invoices: %w", err)
	}
	return f, nil
}
