package invoicing

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"
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
	// Invoiced is what the deal has been billed so far; creating another
	// invoice for it needs Draft.Another.
	Invoiced AlreadyInvoiced
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
		in.bundle, err = s.crm.DealBundle(gctx, dealID)
		if errors.Is(err, ErrNotFound) {
			return fmt.Errorf("read Pipedrive deal %d: %w", dealID, &NotFoundError{Kind: "deal", ID: strconv.FormatInt(dealID, 10)})
		}
		if err != nil {
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
	// The team's link on the Pipedrive organization rules over this computer's: a teammate may have
	// linked, relinked or unlinked it. It is kept here too, so a draft built offline still finds it.
	if l, shared, err := s.sharedLink(ctx, d.Customer.Party, d.Currency, in.customers, in.company); err != nil {
		return BuiltDraft{}, err
	} else if shared {
		links = slices.DeleteFunc(links, func(x CustomerLink) bool { return x.Currency == d.Currency })
		if l.CustomerID != "" {
			links = append(links, l)
			if err := s.repo.SaveCustomerLink(ctx, l); err != nil {
				return BuiltDraft{}, fmt.Errorf("save customer link: %w", err)
			}
		} else if err := s.repo.DeleteCustomerLink(ctx, d.Customer.Party, d.Currency); err != nil {
			return BuiltDraft{}, fmt.Errorf("delete customer link: %w", err)
		}
	}
	matches := applyCustomerLinks(&d, links, in.customers, in.company)
	invoiced, err := s.AlreadyInvoiced(ctx, in.bundle.Deal)
	if err != nil {
		return BuiltDraft{}, err
	}
	return BuiltDraft{Draft: d, Matches: matches, Warnings: Warnings(d), Invoiced: invoiced}, nil
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
	d := newDraft(b.Deal, in.prefs, in.company, today)
	d.Customer = customerFrom(b, in.prefs)
	d.Discounts = b.Discounts
	method := TaxMethodExclusive
	if len(b.Products) > 0 && b.Products[0].TaxMethod != "" {
		method = b.Products[0].TaxMethod
	}
	d.Source = sourceOf(b, method)
	if d.Tax.Model == TaxUS {
		d.Tax.NewLinesTaxable = in.prefs.TaxableByDefault
		if in.company.DefaultTaxCode != "" {
			// The code QuickBooks itself would apply, so the totals shown are the ones it will compute.
			d.Tax.TxnTaxCode = in.company.DefaultTaxCode
			for _, c := range in.taxCodes {
				if c.ID == d.Tax.TxnTaxCode {
					d.Tax.TxnTaxRate = c.Rate
				}
			}
		}
		// Pipedrive's deal value is the products less the deal discount, and the
		// tax a deal implies is on that discounted amount: QuickBooks US taxes
		// before the discount unless told otherwise (XSD, default false).
		d.Tax.ApplyTaxAfterDiscount = true
		d.Tax.PricesIncludeTax = method == TaxMethodInclusive
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
			ProductCode: p.Code,
			Quantity:    p.Quantity,
			UnitPrice:   p.ItemPrice,
			Discount:    p.Discount,
			Recurring:   p.BillingFrequency != "" && p.BillingFrequency != "one-time",
			Deal: &DealLine{Quantity: p.Quantity, ItemPrice: p.ItemPrice, Discount: p.Discount,
				TaxRate: p.TaxRate, Sum: p.Sum},
		}
		if method == TaxMethodNone {
			l.Deal.TaxRate = decimal.Zero
		}
		l.ItemRef, l.ItemMatch = matchItem(p, in.itemLinks, in.items, in.prefs.DefaultItemID)
		if d.Tax.Model == TaxUS {
			l.Taxable = in.prefs.taxable(method != TaxMethodNone && p.TaxRate.IsPositive())
			if method == TaxMethodInclusive {
				l.IncludedTaxRate = p.TaxRate
			}
		} else {
			code := taxCodeFor(l.Deal.TaxRate, method, in.taxCodes, in.prefs)
			l.TaxCode, l.TaxRate = code.ID, code.Rate
		}
		d.Lines = append(d.Lines, l)
	}
	if d.Source.Products == 0 && !b.Deal.Value.IsZero() {
		d.Lines = append(d.Lines, valueLine(b, in, &d))
	}
	return d
}

// newDraft is the deal's draft before its customer and lines: the deal's
// currency, issued today and due by the preferences, the next number, and
// the company's tax model. BuildDraft and buildOffline start from it.
func newDraft(deal Deal, prefs Preferences, company Company, today Date) Draft {
	d := Draft{
		DealID:        deal.ID,
		Currency:      strings.ToUpper(strings.TrimSpace(deal.Currency)),
		IssueDate:     today,
		InvoiceNumber: prefs.Numbering.number(),
		Tax:           TaxSettings{Model: company.TaxModel},
	}
	if due, err := DueDate(today, prefs.DueDays); err == nil {
		d.DueDate = due
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

// taxCodeFor picks the QuickBooks tax code for a Pipedrive rate outside
// the US: the code remembered for the rate, else the default code when its
// rate is the one, else the first code with that rate, else the default
// code (Reconcile then names both rates). A deal without tax (tax_method
// none) takes the company's zero-rate code.
func taxCodeFor(rate decimal.Decimal, method TaxMethod, codes []TaxCode, p Preferences) TaxCode {
	if method == TaxMethodNone {
		rate = decimal.Zero
	}
	def := TaxCode{ID: p.DefaultTaxCode}
	for _, c := range codes {
		if c.ID == p.DefaultTaxCode {
			def = c
		}
	}
	if id := p.TaxCodeByRate[RateKey(rate)]; id != "" {
		for _, c := range codes {
			if c.ID == id {
				return c
			}
		}
	}
	if def.Rate.Equal(rate) && def.ID != "" {
		return def
	}
	for _, c := range codes {
		if c.Rate.Equal(rate) {
			return c
		}
	}
	return def
}

// RateKey is how a tax rate names its remembered tax code: the percentage
// without trailing zeros ("20", "5.5").
func RateKey(rate decimal.Decimal) string { return rate.String() }

// sourceOf keeps the deal's own figures for the reconciliation.
func sourceOf(b DealBundle, method TaxMethod) DealFigures {
	f := DealFigures{Value: b.Deal.Value, Currency: strings.ToUpper(strings.TrimSpace(b.Deal.Currency)),
		Discounts: b.Discounts, Title: b.Deal.Title}
	for _, p := range b.Products {
		if p.Enabled {
			f.Products++
			f.ProductsSum = f.ProductsSum.Add(p.Sum)
			rate := p.TaxRate
			if method == TaxMethodNone {
				rate = decimal.Zero
			}
			f.Lines = append(f.Lines, DealLine{Quantity: p.Quantity, ItemPrice: p.ItemPrice, Discount: p.Discount, TaxRate: rate, Sum: p.Sum})
		}
	}
	if f.Products > 0 {
		f.TaxMethod = method
	}
	return f
}

// valueLine is the one line of a deal that has a value but no products:
// the deal's value under its title, billed as it is. In the US the line is
// not taxable; elsewhere the value is taken to include the default tax code's
// tax, so the invoice's total is the deal's value either way.
func valueLine(b DealBundle, in draftInputs, d *Draft) Line {
	name := strings.TrimSpace(b.Deal.Title)
	if name == "" {
		name = fmt.Sprintf("Deal %d", b.Deal.ID)
	}
	l := Line{Name: name, ItemRef: in.prefs.DefaultItemID, Quantity: decimal.NewFromInt(1), UnitPrice: b.Deal.Value}
	if d.Tax.Model == TaxGlobal {
		d.Tax.Calculation = TaxInclusive
		l.TaxCode = in.prefs.DefaultTaxCode
		for _, c := range in.taxCodes {
			if c.ID == l.TaxCode {
				l.TaxRate = c.Rate
			}
		}
	}
	return l
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
