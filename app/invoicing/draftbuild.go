package invoicing

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/sync/errgroup"
)

// BuiltDraft is a draft freshly built from a deal.
type BuiltDraft struct {
	Draft Draft
	// Matches are the QuickBooks customers in the draft's currency that may
	// be the deal's, best first, when the deal is not linked yet.
	Matches []CustomerMatch
	// Warnings are what the rep should know, such as recurring products.
	Warnings []Issue
	// Offline: Pipedrive could not be reached, so the draft is the one saved for the deal, or built from
	// the deal as the deal list cached it (draftoffline.go).
	Offline bool
	// ProductsUnknown: the deal's products (its lines) cannot be known offline, since the deal was never
	// opened; building again once Pipedrive answers fills them in.
	ProductsUnknown bool
}

// draftInputs is everything a draft is built from.
type draftInputs struct {
	bundle    DealBundle
	prefs     Preferences
	company   Company
	itemLinks map[int64]string
	items     []Item
	taxCodes  []TaxCode
	customers []QBCustomer
}

// BuildDraft builds the invoice draft for a deal: the deal, its
// organization, person, products and discounts from Pipedrive (one
// DealBundle call), with the preferences applied. The Pipedrive and
// QuickBooks reads run concurrently. Without QuickBooks (ErrOffline) the
// draft is still built, from the last known company, with the default
// item and no customer matches. Without Pipedrive (ErrOffline) it is the
// deal's saved draft, or a draft from the cached deal without its products
// (BuiltDraft.Offline, ProductsUnknown); a deal never seen is ErrOffline.
func (s *Service) BuildDraft(ctx context.Context, dealID int64) (BuiltDraft, error) {
	var in draftInputs
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() (err error) {
		if in.bundle, err = s.crm.DealBundle(gctx, dealID); err != nil {
			return fmt.Errorf("read Pipedrive deal %d: %w", dealID, err)
		}
		return nil
	})
	g.Go(func() (err error) {
		in.prefs, err = s.preferences(gctx)
		return err
	})
	g.Go(func() (err error) {
		if in.itemLinks, err = s.repo.ItemLinks(gctx); err != nil {
			return fmt.Errorf("read item links: %w", err)
		}
		return nil
	})
	g.Go(func() (err error) {
		in.company, err = s.Company(gctx)
		return err
	})
	g.Go(func() (err error) {
		in.items, err = offlineIsEmpty(s.Items(gctx))
		return err
	})
	g.Go(func() (err error) {
		in.taxCodes, err = offlineIsEmpty(s.TaxCodes(gctx))
		return err
	})
	g.Go(func() (err error) {
		in.customers, err = offlineIsEmpty(s.customerList(gctx))
		return err
	})
	if err := g.Wait(); err != nil {
		if errors.Is(err, ErrOffline) {
			return s.buildOffline(ctx, dealID, err)
		}
		return BuiltDraft{}, err
	}

	d := draftFrom(in, s.today())
	var links []CustomerLink
	if !d.Customer.Party.IsZero() {
		var err error
		if links, err = s.repo.CustomerLinks(ctx, d.Customer.Party); err != nil {
			return BuiltDraft{}, fmt.Errorf("read customer links: %w", err)
		}
	}
	matches := applyCustomerLinks(&d, links, in.customers, in.company)
	return BuiltDraft{Draft: d, Matches: matches, Warnings: Warnings(d)}, nil
}

// offlineIsEmpty turns an ErrOffline into an empty list.
func offlineIsEmpty[T any](list []T, err error) ([]T, error) {
	if errors.Is(err, ErrOffline) {
		return nil, nil
	}
	return list, err
}

// draftFrom builds the draft from the inputs, the customer not yet linked.
func draftFrom(in draftInputs, today Date) Draft {
	b := in.bundle
	d := Draft{
		DealID:        b.Deal.ID,
		Customer:      customerFrom(b, in.prefs),
		Currency:      strings.ToUpper(strings.TrimSpace(b.Deal.Currency)),
		IssueDate:     today,
		InvoiceNumber: in.prefs.Numbering.number(),
		Tax:           TaxSettings{Model: in.company.TaxModel},
		Discounts:     b.Discounts,
	}
	if due, err := DueDate(today, in.prefs.DueDays); err == nil {
		d.DueDate = due
	}
	method := TaxMethodExclusive
	if len(b.Products) > 0 && b.Products[0].TaxMethod != "" {
		method = b.Products[0].TaxMethod
	}
	if d.Tax.Model == TaxUS && in.company.DefaultTaxCode != "" {
		// The code QuickBooks itself would apply, so the totals shown are the ones it will compute.
		d.Tax.TxnTaxCode = in.company.DefaultTaxCode
		for _, c := range in.taxCodes {
			if c.ID == d.Tax.TxnTaxCode {
				d.Tax.TxnTaxRate = c.Rate
			}
		}
	}
	if d.Tax.Model == TaxGlobal {
		d.Tax.Calculation = TaxExcluded
		if method == TaxMethodInclusive {
			d.Tax.Calculation = TaxInclusive
		}
	}
	for _, p := range b.Products {
		if !p.Enabled {
			continue
		}
		l := Line{
			ProductID:   p.ProductID,
			Name:        p.Name,
			Description: p.Comments,
			ItemRef:     itemFor(p, in.itemLinks, in.items, in.prefs.DefaultItemID),
			Quantity:    p.Quantity,
			UnitPrice:   p.ItemPrice,
			Discount:    p.Discount,
			Recurring:   p.BillingFrequency != "" && p.BillingFrequency != "one-time",
		}
		if d.Tax.Model == TaxUS {
			l.Taxable = in.prefs.TaxableByDefault || (method != TaxMethodNone && p.TaxRate.IsPositive())
		} else {
			code := taxCodeFor(p, in.taxCodes, in.prefs.DefaultTaxCode)
			l.TaxCode, l.TaxRate = code.ID, code.Rate
		}
		d.Lines = append(d.Lines, l)
	}
	return d
}

// customerFrom fills the customer fields by the preferences' field mapping.
func customerFrom(b DealBundle, p Preferences) Customer {
	c := Customer{
		To:      fieldValue(b, p.To),
		Address: fieldValue(b, p.Address),
		Email:   fieldValue(b, p.Email),
		TaxID:   fieldValue(b, p.TaxID),
	}
	party := b.Organization
	c.Party = PartyRef{Entity: EntityOrganization}
	if party == nil {
		party = b.Person
		c.Party.Entity = EntityPerson
	}
	if party == nil {
		c.Party = PartyRef{}
		return c
	}
	c.Party.ID = party.ID
	if c.To == "" {
		c.To = party.Name
	}
	return c
}

// fieldValue returns the value of the field ref points at, "" if none.
func fieldValue(b DealBundle, ref FieldRef) string {
	var values map[string]string
	switch ref.Entity {
	case EntityDeal:
		values = b.DealFields
	case EntityOrganization:
		if b.Organization != nil {
			values = b.Organization.Fields
		}
	case EntityPerson:
		if b.Person != nil {
			values = b.Person.Fields
		}
	}
	return strings.TrimSpace(values[ref.Code])
}

// itemFor picks a product's QuickBooks item: the remembered link, else the
// item of the same name, else the default item.
func itemFor(p DealProduct, links map[int64]string, items []Item, defaultID string) string {
	if id := links[p.ProductID]; id != "" && p.ProductID != 0 {
		return id
	}
	name := normalName(p.Name)
	for _, it := range items {
		if name != "" && normalName(it.Name) == name {
			return it.ID
		}
	}
	return defaultID
}

// taxCodeFor picks a product's tax code: the default code when its rate is
// the product's, else the first code with the product's rate, else the
// default code.
func taxCodeFor(p DealProduct, codes []TaxCode, defaultID string) TaxCode {
	def := TaxCode{ID: defaultID}
	for _, c := range codes {
		if c.ID == defaultID {
			def = c
		}
	}
	if def.Rate.Equal(p.TaxRate) {
		return def
	}
	for _, c := range codes {
		if c.Rate.Equal(p.TaxRate) {
			return c
		}
	}
	return def
}

// LinkItem remembers the QuickBooks item of a Pipedrive product, for the
// next drafts: the rep chose it for a line that came from the product.
func (s *Service) LinkItem(ctx context.Context, productID int64, itemID string) error {
	if err := s.repo.SaveItemLink(ctx, productID, itemID); err != nil {
		return fmt.Errorf("save item link of product %d: %w", productID, err)
	}
	return nil
}

// SaveDraft keeps the draft being edited, so nothing typed is lost.
func (s *Service) SaveDraft(ctx context.Context, d Draft) error {
	if err := s.repo.SaveDraft(ctx, d); err != nil {
		return fmt.Errorf("save draft of deal %d: %w", d.DealID, err)
	}
	return nil
}

// SavedDraft returns the deal's saved draft, or an error wrapping ErrNotFound.
func (s *Service) SavedDraft(ctx context.Context, dealID int64) (Draft, error) {
	d, err := s.repo.Draft(ctx, dealID)
	if err != nil {
		return Draft{}, fmt.Errorf("read draft of deal %d: %w", dealID, err)
	}
	return d, nil
}
