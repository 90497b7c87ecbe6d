package adapters

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	"dealbooks/app/invoicing"
	"dealbooks/integrations/pipedrive"
)

// dealPageSize is how many deals one ListDeals page holds: the most Pipedrive allows, so a full listing
// takes the fewest requests and tokens.
const dealPageSize = pipedrive.MaxPageSize

// searchLimit is how many deals SearchDeals returns at most.
const searchLimit = 50

// Pipedrive is invoicing.CRM over the Pipedrive API client. It remembers
// the field definitions and the names of organizations and persons it has
// read, so later calls need fewer requests. It is safe for concurrent use.
type Pipedrive struct {
	client         *pipedrive.Client
	needsReconnect func(error) bool

	mu    sync.Mutex
	defs  *fieldDefs          // nil until first read
	refs  *ReferenceCache     // where field definitions are kept between runs; nil: nowhere
	names map[partyKey]string // organization and person names seen
	// namesSeeded: the names of the local deal list were taken into names (seedNames), once.
	namesSeeded bool
	// reread are the names a full reload (DealFilter.ReadNames) has read again so far, so its later pages
	// do not read them a second time.
	reread map[partyKey]bool
	codes  map[int64]string // catalogue product codes (SKUs) read, by product id
	// justRead is the organization each DealBundle read, for the draft's SharedCustomer moments later
	// (takeJustRead).
	justRead map[int64]justReadOrg
	// rechecked: the definitions were read afresh once for a team field they lacked (see teamField).
	rechecked bool
}

// justReadOrg is an organization as DealBundle read it, and when.
type justReadOrg struct {
	org pipedrive.Organization
	at  time.Time
}

// justReadFor is how long an organization DealBundle read answers SharedCustomer instead of a new read: a
// draft asks for the team's customer right after reading the deal's bundle.
const justReadFor = 30 * time.Second

// partyKey names an organization or person.
type partyKey struct {
	entity invoicing.Entity
	id     int64
}

// NewPipedrive returns the CRM adapter over c.
func NewPipedrive(c *pipedrive.Client, o Options) *Pipedrive {
	return &Pipedrive{client: c, needsReconnect: o.NeedsReconnect, names: map[partyKey]string{},
		codes: map[int64]string{}, justRead: map[int64]justReadOrg{}}
}

var _ invoicing.CRM = (*Pipedrive)(nil)

func (p *Pipedrive) fail(what string, err error) error {
	return fmt.Errorf("pipedrive: %s: %w", what, translate(err, p.needsReconnect))
}

// ListDeals returns one page of deals, with their organization and person
// names (learnNames): those not known are read, a request for the
// organizations and one for the persons; with f.ReadNames (a full reload),
// every one is read again.
func (p *Pipedrive) ListDeals(ctx context.Context, f invoicing.DealFilter, cursor string) (invoicing.DealPage, error) {
	q := pipedrive.DealsQuery{OwnerID: f.OwnerID, UpdatedSince: f.UpdatedSince, Limit: dealPageSize, Cursor: cursor}
	for _, s := range f.Statuses {
		q.Statuses = append(q.Statuses, string(s))
	}
	page, err := p.client.ListDeals(ctx, q)
	if err != nil {
		return invoicing.DealPage{}, p.fail("list deals", err)
	}
	if f.ReadNames && cursor == "" {
		p.mu.Lock()
		p.reread = map[partyKey]bool{} // a new reload
		p.mu.Unlock()
	}
	if err := p.learnNames(ctx, page.Items, f.ReadNames); err != nil {
		return invoicing.DealPage{}, err
	}
	out := invoicing.DealPage{Deals: make([]invoicing.Deal, 0, len(page.Items)), Next: page.NextCursor}
	for _, d := range page.Items {
		out.Deals = append(out.Deals, p.deal(d))
	}
	return out, nil
}

// learnNames reads the names of the deals' organizations and persons not
// known yet: the organizations and the persons of a page, side by side, up to
// pipedrive.MaxIDs per request. One that is gone or hidden from the user
// stays unnamed and is not asked for again. Known are the names this adapter
// read (listings, drafts) and, from the first listing that meets an unknown
// one, those of the local deal list (seedNames). With again (a full reload),
// every name is read, once in the reload.
//
// Reusing a known name is safe for the deal list, the only use of these names (an invoice takes its
// organization and person from the draft's own read, DealBundle): Pipedrive names a deal's organization
// and person by id, and renaming one does not change its deals' update_time, so no listing of changed
// deals would show a rename anyway; the full reload is the listing that does, and it reads them all.
func (p *Pipedrive) learnNames(ctx context.Context, deals []pipedrive.Deal, again bool) error {
	if !again {
		p.seedNames(ctx, deals)
	}
	var orgIDs, personIDs []int64
	p.mu.Lock()
	for _, d := range deals {
		orgIDs = p.appendUnknown(orgIDs, invoicing.EntityOrganization, d.OrgID, again)
		personIDs = p.appendUnknown(personIDs, invoicing.EntityPerson, d.PersonID, again)
	}
	p.mu.Unlock()

	g, gctx := errgroup.WithContext(ctx)
	if len(orgIDs) > 0 {
		g.Go(func() error {
			orgs, err := p.client.OrganizationsByIDs(gctx, orgIDs)
			names := map[int64]string{}
			for _, o := range orgs {
				names[o.ID] = o.Name
			}
			return p.learn(invoicing.EntityOrganization, orgIDs, names, err)
		})
	}
	if len(personIDs) > 0 {
		g.Go(func() error {
			persons, err := p.client.PersonsByIDs(gctx, personIDs)
			names := map[int64]string{}
			for _, pe := range persons {
				names[pe.ID] = pe.Name
			}
			return p.learn(invoicing.EntityPerson, personIDs, names, err)
		})
	}
	return g.Wait()
}

// appendUnknown appends id to ids unless it is 0, already in ids, or named: known, or with again read in
// this reload. Caller holds p.mu.
func (p *Pipedrive) appendUnknown(ids []int64, entity invoicing.Entity, id int64, again bool) []int64 {
	k := partyKey{entity, id}
	_, known := p.names[k]
	if again {
		known = p.reread[k]
	}
	if id == 0 || known || slices.Contains(ids, id) {
		return ids
	}
	return append(ids, id)
}

// seedNames takes the organization and person names of the local deal list (the ReferenceCache's
// DealLister), the first time deals name one this adapter does not know: a new process then reads only the
// names its deal list has never had. Names already known stay; empty ones are not taken (read instead).
func (p *Pipedrive) seedNames(ctx context.Context, deals []pipedrive.Deal) {
	p.mu.Lock()
	refs, seeded := p.refs, p.namesSeeded
	unknown := false
	for _, d := range deals {
		_, org := p.names[partyKey{invoicing.EntityOrganization, d.OrgID}]
		_, person := p.names[partyKey{invoicing.EntityPerson, d.PersonID}]
		unknown = unknown || (d.OrgID != 0 && !org) || (d.PersonID != 0 && !person)
	}
	p.mu.Unlock()
	lister, ok := refs.lister()
	if seeded || !unknown || !ok {
		return
	}
	listed, err := lister.Deals(ctx, invoicing.DealQuery{})
	if err != nil {
		return // the names are read instead
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.namesSeeded = true
	for _, d := range listed {
		p.seedName(partyKey{invoicing.EntityOrganization, d.OrgID}, d.OrgName)
		p.seedName(partyKey{invoicing.EntityPerson, d.PersonID}, d.PersonName)
	}
}

// seedName keeps a name of the local deal list unless one is known or it is empty. Caller holds p.mu.
func (p *Pipedrive) seedName(k partyKey, name string) {
	if _, known := p.names[k]; k.id == 0 || name == "" || known {
		return
	}
	p.names[k] = name
}

// learn remembers the names read for the ids asked for; ids Pipedrive left
// out (deleted or hidden) are remembered without a name. A refusal to list
// the entity at all (no permission) leaves every name unknown.
func (p *Pipedrive) learn(entity invoicing.Entity, asked []int64, names map[int64]string, err error) error {
	switch {
	case goneOrHidden(err):
		return nil
	case err != nil:
		return p.fail(fmt.Sprintf("read %s names", entity), err)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, id := range asked {
		k := partyKey{entity, id}
		p.names[k] = names[id]
		if p.reread != nil {
			p.reread[k] = true
		}
	}
	return nil
}

func (p *Pipedrive) rememberName(k partyKey, name string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.names[k] = name
}

func (p *Pipedrive) name(k partyKey) string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.names[k]
}

// deal maps a Pipedrive deal, naming its organization and person when known.
func (p *Pipedrive) deal(d pipedrive.Deal) invoicing.Deal {
	return invoicing.Deal{
		ID:         d.ID,
		Title:      d.Title,
		Value:      d.Value,
		Currency:   d.Currency,
		Status:     invoicing.DealStatus(d.Status),
		OwnerID:    d.OwnerID,
		OrgID:      d.OrgID,
		OrgName:    p.name(partyKey{invoicing.EntityOrganization, d.OrgID}),
		PersonID:   d.PersonID,
		PersonName: p.name(partyKey{invoicing.EntityPerson, d.PersonID}),
		UpdatedAt:  d.UpdateTime.Time,
	}
}

// SearchDeals asks Pipedrive's deal search for term, best matches first.
func (p *Pipedrive) SearchDeals(ctx context.Context, term string) ([]invoicing.Deal, error) {
	page, err := p.client.SearchDeals(ctx, pipedrive.DealSearchQuery{Term: term, Limit: searchLimit})
	if err != nil {
		return nil, p.fail("search deals", err)
	}
	deals := make([]invoicing.Deal, 0, len(page.Items))
	for _, r := range page.Items {
		deals = append(deals, invoicing.Deal{
			ID:         r.ID,
			Title:      r.Title,
			Value:      r.Value,
			Currency:   r.Currency,
			Status:     invoicing.DealStatus(r.Status),
			OwnerID:    r.Owner.ID,
			OrgID:      r.Organization.ID,
			OrgName:    r.Organization.Name,
			PersonID:   r.Person.ID,
			PersonName: r.Person.Name,
		})
	}
	return deals, nil
}

// DealBundle reads the deal (with the field definitions, the first time) and
// its products, then its organization, person, discounts and the codes of
// products not seen before (see productCodes) at once: two sequential round
// trips. An organization or person that no longer exists is left out. With a
// reference cache, the deal's products and discounts are kept there and used
// again while the deal's update_time is unchanged, the products are read
// along with those of the deals likely to be opened next (readLines), and the
// discounts are not read when the deal's value proves there are none
// (provesNoDealDiscount); see dealcontent.go.
func (p *Pipedrive) DealBundle(ctx context.Context, dealID int64) (invoicing.DealBundle, error) {
	p.mu.Lock()
	refs := p.refs
	p.mu.Unlock()
	kept, keptAt, haveKept := refs.dealContent(ctx, dealID)

	var (
		deal pipedrive.Deal
		defs *fieldDefs
	)
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() (err error) {
		if deal, err = p.client.Deal(gctx, dealID); err != nil {
			return p.fail(fmt.Sprintf("read deal %d", dealID), err)
		}
		return nil
	})
	g.Go(func() (err error) {
		defs, err = p.fieldDefs(gctx)
		return err
	})
	// The products need only the deal's id, so they come with the deal, and their catalogue codes with the
	// organization and person; unless content kept from an earlier read may spare them.
	var batch lineBatch
	if !haveKept {
		g.Go(func() (err error) {
			batch, err = p.readLines(gctx, refs, dealID)
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return invoicing.DealBundle{}, err
	}
	reuse := haveKept && kept.UpdateTime.Equal(deal.UpdateTime.Time)
	if haveKept && !reuse {
		var err error
		if batch, err = p.readLines(ctx, refs, dealID); err != nil {
			return invoicing.DealBundle{}, err
		}
	}
	content := kept
	if !reuse {
		content = newDealContent(deal.UpdateTime.Time, batch.lines)
	}
	readDiscounts := content.DiscountsUnread && !provesNoDealDiscount(deal.Value, deal.Currency, content.Products)
	if content.DiscountsUnread && !readDiscounts {
		content = content.withDiscounts(nil)
	}
	codesFresh := reuse && refs.fresh(keptAt, KindProductCodes)
	changed := !reuse || kept.DiscountsUnread != content.DiscountsUnread

	var (
		org       *pipedrive.Organization
		person    *pipedrive.Person
		discounts []pipedrive.DealDiscount
		codes     map[int64]string
	)
	g, gctx = errgroup.WithContext(ctx)
	if deal.OrgID != 0 {
		g.Go(func() error {
			o, err := p.client.Organization(gctx, deal.OrgID)
			if err == nil {
				org = &o
			}
			return p.optional(fmt.Sprintf("read organization %d", deal.OrgID), err)
		})
	}
	if deal.PersonID != 0 {
		g.Go(func() error {
			pe, err := p.client.Person(gctx, deal.PersonID)
			if err == nil {
				person = &pe
			}
			return p.optional(fmt.Sprintf("read person %d", deal.PersonID), err)
		})
	}
	if !codesFresh || len(batch.companions) > 0 {
		var ids []int64
		if !codesFresh {
			ids = content.productIDs()
		}
		for _, c := range batch.companions {
			ids = append(ids, c.productIDs()...)
		}
		g.Go(func() (err error) {
			codes, err = p.productCodes(gctx, ids)
			return err
		})
	}
	if readDiscounts {
		g.Go(func() (err error) {
			if discounts, err = p.client.DealDiscounts(gctx, dealID); err != nil {
				return p.fail(fmt.Sprintf("read discounts of deal %d", dealID), err)
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return invoicing.DealBundle{}, err
	}
	b := p.bundle(defs, deal, org, person)
	if readDiscounts {
		content = content.withDiscounts(discounts)
	}
	if !codesFresh {
		content = content.withCodes(codes)
	}
	switch {
	case !codesFresh:
		refs.keepDealContent(ctx, dealID, content, refs.instant())
	case changed: // the discounts only: the codes keep the time they were read
		refs.keepDealContent(ctx, dealID, content, keptAt)
	}
	for id, c := range batch.companions {
		refs.keepDealContent(ctx, id, c.withCodes(codes), refs.instant())
	}
	b.Products, b.Discounts = content.Products, content.Discounts
	return b, nil
}

// optional passes on err unless it says the record is gone or hidden.
func (p *Pipedrive) optional(what string, err error) error {
	if err == nil || goneOrHidden(err) {
		return nil
	}
	return p.fail(what, err)
}

// goneOrHidden reports whether err says the record was deleted or is not
// visible to the user.
func goneOrHidden(err error) bool {
	return errors.Is(err, pipedrive.ErrNotFound) || errors.Is(err, pipedrive.ErrGone) || errors.Is(err, pipedrive.ErrForbidden)
}

// bundle maps the deal and its parties as DealBundle read them; the products and discounts are
// added by the caller.
func (p *Pipedrive) bundle(defs *fieldDefs, d pipedrive.Deal, org *pipedrive.Organization, person *pipedrive.Person) invoicing.DealBundle {
	if org != nil {
		p.rememberName(partyKey{invoicing.EntityOrganization, org.ID}, org.Name)
		p.mu.Lock()
		p.justRead[org.ID] = justReadOrg{org: *org, at: time.Now()}
		p.mu.Unlock()
	}
	if person != nil {
		p.rememberName(partyKey{invoicing.EntityPerson, person.ID}, person.Name)
	}
	b := invoicing.DealBundle{Deal: p.deal(d), DealFields: p.texts(defs.deal, dealBuiltins(d), d.CustomFields)}
	if org != nil {
		b.Organization = &invoicing.Party{ID: org.ID, Name: org.Name,
			Fields: p.texts(defs.org, orgBuiltins(*org), org.CustomFields)}
	}
	if person != nil {
		b.Person = &invoicing.Party{ID: person.ID, Name: person.Name,
			Fields: p.texts(defs.person, personBuiltins(*person), person.CustomFields)}
	}
	return b
}

func dealProduct(dp pipedrive.DealProduct) invoicing.DealProduct {
	return invoicing.DealProduct{
		ProductID:        dp.ProductID,
		Name:             dp.Name,
		Comments:         dp.Comments,
		Quantity:         dp.Quantity,
		ItemPrice:        dp.ItemPrice,
		Discount:         discount("", dp.DiscountType, dp.Discount),
		TaxRate:          dp.Tax,
		TaxMethod:        invoicing.TaxMethod(dp.TaxMethod),
		Sum:              dp.Sum,
		BillingFrequency: dp.BillingFrequency,
		Enabled:          dp.IsEnabled,
	}
}

// AddNote writes the HTML note on the deal.
func (p *Pipedrive) AddNote(ctx context.Context, dealID int64, html string) (int64, error) {
	n, err := p.client.CreateNote(ctx, dealID, html, false)
	if err != nil {
		return 0, p.fail(fmt.Sprintf("add note to deal %d", dealID), err)
	}
	return n.ID, nil
}

// DealNotes returns the notes on the deal.
func (p *Pipedrive) DealNotes(ctx context.Context, dealID int64) ([]invoicing.DealNote, error) {
	notes, err := p.client.DealNotes(ctx, dealID)
	if err != nil {
		return nil, p.fail(fmt.Sprintf("read the notes on deal %d", dealID), err)
	}
	out := make([]invoicing.DealNote, 0, len(notes))
	for _, n := range notes {
		out = append(out, invoicing.DealNote{ID: n.ID, HTML: n.Content})
	}
	return out, nil
}

// Users returns the company's Pipedrive users, deleted ones included, as
// they may still own deals. An OAuth connection without the users:read
// scope is refused (403): then no owner has a name, which is no error.
func (p *Pipedrive) Users(ctx context.Context) ([]invoicing.Owner, error) {
	users, err := p.client.Users(ctx)
	switch {
	case errors.Is(err, pipedrive.ErrForbidden):
		return nil, nil
	case err != nil:
		return nil, p.fail("list users", err)
	}
	owners := make([]invoicing.Owner, 0, len(users))
	for _, u := range users {
		owners = append(owners, invoicing.Owner{ID: u.ID, Name: u.Name})
	}
	return owners, nil
}

var _ invoicing.TeamCRM = (*Pipedrive)(nil)

// Me returns the signed-in Pipedrive user and their company (2 tokens).
func (p *Pipedrive) Me(ctx context.Context) (invoicing.Rep, error) {
	u, err := p.client.Me(ctx)
	if err != nil {
		return invoicing.Rep{}, p.fail("read the signed-in user", err)
	}
	return invoicing.Rep{ID: u.ID, Name: u.Name, CompanyID: u.CompanyID}, nil
}

// teamField returns the code of the custom field of the entity named name; "" when there is none and
// create is false. With create, a missing field is added with fieldType; a user who may not add fields
// gets a *invoicing.SharedFieldError.
func (p *Pipedrive) teamField(ctx context.Context, entity invoicing.Entity, name, fieldType string, create bool) (string, error) {
	defs, err := p.fieldDefs(ctx)
	if err != nil {
		return "", err
	}
	if f, ok := defsOf(defs, entity).ByName(name); ok {
		return f.Code, nil
	}
	// Kept definitions (a day) may predate a teammate's new field: read afresh before adding one, and
	// once per run before saying there is none, so a field added meanwhile is found the same day.
	if !create && !p.recheck() {
		return "", nil
	}
	if defs, err = p.loadFields(ctx); err != nil {
		return "", err
	}
	if f, ok := defsOf(defs, entity).ByName(name); ok || !create {
		return f.Code, nil
	}
	add := p.client.CreateOrganizationField
	if entity == invoicing.EntityDeal {
		add = p.client.CreateDealField
	}
	f, err := add(ctx, name, fieldType)
	switch {
	case errors.Is(err, pipedrive.ErrForbidden):
		return "", &invoicing.SharedFieldError{Entity: entity, Name: name, Err: err}
	case err != nil:
		return "", p.fail(fmt.Sprintf("add %s field %q", entity, name), err)
	}
	p.addField(entity, f)
	// The definitions kept between runs lack the new field: the next run reads them afresh.
	p.mu.Lock()
	refs := p.refs
	p.mu.Unlock()
	if refs != nil {
		_ = refs.Forget(ctx, KindPipedriveFields)
	}
	return f.Code, nil
}

// recheck reports whether the definitions may be read afresh for a missing team field: once per run.
func (p *Pipedrive) recheck() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	first := !p.rechecked
	p.rechecked = true
	return first
}

func defsOf(d *fieldDefs, e invoicing.Entity) pipedrive.Fields {
	if e == invoicing.EntityDeal {
		return d.deal
	}
	return d.org
}

// addField keeps a field just added, in a copy of the definitions (readers use the old one unlocked).
func (p *Pipedrive) addField(e invoicing.Entity, f pipedrive.Field) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.defs == nil {
		return
	}
	next := *p.defs
	next.deal, next.org = maps.Clone(next.deal), maps.Clone(next.org)
	defsOf(&next, e)[f.Code] = f
	next.list = append(slices.Clip(next.list), invoicing.Field{Entity: e, Code: f.Code, Name: f.Name, Type: f.Type, Custom: true})
	p.defs = &next
}

// SharedCustomer reads the organization's "QuickBooks customer" field (1 token, besides the field
// definitions kept). The organization a DealBundle read within justReadFor answers once instead, without a
// request: a draft reads the deal's bundle and then asks this, and the organization read a moment ago is as
// current as a second read would be.
func (p *Pipedrive) SharedCustomer(ctx context.Context, orgID int64) (string, bool, error) {
	code, err := p.teamField(ctx, invoicing.EntityOrganization, invoicing.SharedCustomerField, "varchar", false)
	if err != nil || code == "" {
		return "", false, err
	}
	org, ok := p.takeJustRead(orgID)
	if !ok {
		org, err = p.client.Organization(ctx, orgID)
	}
	if goneOrHidden(err) {
		return "", false, nil
	}
	if err != nil {
		return "", false, p.fail(fmt.Sprintf("read organization %d", orgID), err)
	}
	defs, err := p.fieldDefs(ctx)
	if err != nil {
		return "", false, err
	}
	v, _, _ := defs.org.Resolve(org.CustomFields, code)
	return strings.TrimSpace(v.Text), true, nil
}

// takeJustRead returns, once, the organization DealBundle read within justReadFor.
func (p *Pipedrive) takeJustRead(orgID int64) (pipedrive.Organization, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	r, ok := p.justRead[orgID]
	delete(p.justRead, orgID)
	for id, other := range p.justRead { // those no draft asked about
		if time.Since(other.at) >= justReadFor {
			delete(p.justRead, id)
		}
	}
	return r.org, ok && time.Since(r.at) < justReadFor
}

// ShareCustomer writes the organization's "QuickBooks customer" field, adding the field when missing
// (5 tokens, 10 more the once it is added); "" clears it.
func (p *Pipedrive) ShareCustomer(ctx context.Context, orgID int64, customerID string) error {
	// Clearing needs no field: without one there is nothing to clear.
	code, err := p.teamField(ctx, invoicing.EntityOrganization, invoicing.SharedCustomerField, "varchar", customerID != "")
	if err != nil || code == "" {
		return err
	}
	var v any
	if customerID != "" {
		v = customerID
	}
	if err := p.client.UpdateOrganizationFields(ctx, orgID, map[string]any{code: v}); err != nil {
		return p.fail(fmt.Sprintf("write organization %d", orgID), err)
	}
	return nil
}

// UpdateNote replaces the content of the note (10 tokens).
func (p *Pipedrive) UpdateNote(ctx context.Context, noteID int64, html string) error {
	if _, err := p.client.UpdateNote(ctx, noteID, html); err != nil {
		return p.fail(fmt.Sprintf("update note %d", noteID), err)
	}
	return nil
}
