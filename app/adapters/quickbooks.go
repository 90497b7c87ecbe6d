package adapters

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/shopspring/decimal"
	"golang.org/x/sync/errgroup"

	"dealbooks/app/invoicing"
	"dealbooks/integrations/quickbooks"
)

// maxAddressLines is how many free lines of a QuickBooks address the
// adapter fills. QuickBooks has five, but three keep short addresses on
// separate lines and are all the fake stores.
const maxAddressLines = 3

// QuickBooks is invoicing.Accounting over the QuickBooks API client. It is
// safe for concurrent use.
type QuickBooks struct {
	client         *quickbooks.Client
	sandbox        bool
	needsReconnect func(error) bool
}

// NewQuickBooks returns the Accounting adapter over c.
func NewQuickBooks(c *quickbooks.Client, o Options) *QuickBooks {
	return &QuickBooks{client: c, sandbox: o.Sandbox, needsReconnect: o.NeedsReconnect}
}

var _ invoicing.Accounting = (*QuickBooks)(nil)

func (q *QuickBooks) fail(what string, err error) error {
	return fmt.Errorf("quickbooks: %s: %w", what, translate(err, q.needsReconnect))
}

// Company reads CompanyInfo and Preferences at once.
func (q *QuickBooks) Company(ctx context.Context) (invoicing.Company, error) {
	var (
		info  *quickbooks.CompanyInfo
		prefs *quickbooks.Preferences
	)
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() (err error) {
		if info, err = q.client.CompanyInfo(gctx); err != nil {
			return q.fail("read company info", err)
		}
		return nil
	})
	g.Go(func() (err error) {
		if prefs, err = q.client.Preferences(gctx); err != nil {
			return q.fail("read preferences", err)
		}
		return nil
	})
	if err := g.Wait(); err != nil {
		return invoicing.Company{}, err
	}
	c := invoicing.Company{
		RealmID:          q.client.RealmID(),
		Name:             info.CompanyName,
		Country:          info.Country,
		HomeCurrency:     prefs.HomeCurrency(),
		MultiCurrency:    prefs.MultiCurrency(),
		TaxModel:         invoicing.TaxUS,
		CustomTxnNumbers: prefs.CustomTxnNumbers(),
		DefaultItemID:    prefs.DefaultItemID(),
		Sandbox:          q.sandbox,
	}
	if info.Country != "" && info.Country != "US" {
		c.TaxModel = invoicing.TaxGlobal
	}
	if tp := prefs.TaxPrefs; c.TaxModel == invoicing.TaxUS && tp != nil && tp.UsingSalesTax != nil && *tp.UsingSalesTax && tp.TaxGroupCodeRef != nil {
		c.DefaultTaxCode = tp.TaxGroupCodeRef.Value
	}
	return c, nil
}

// Customers pages through every customer and returns the active ones.
func (q *QuickBooks) Customers(ctx context.Context) ([]invoicing.QBCustomer, error) {
	all, err := q.client.AllCustomers(ctx)
	if err != nil {
		return nil, q.fail("list customers", err)
	}
	out := []invoicing.QBCustomer{}
	for _, c := range all {
		if active(c.Active) {
			out = append(out, customer(&c))
		}
	}
	return out, nil
}

// Customer reads one customer.
func (q *QuickBooks) Customer(ctx context.Context, id string) (invoicing.QBCustomer, error) {
	c, err := q.client.Customer(ctx, id)
	if err != nil {
		return invoicing.QBCustomer{}, q.fail("read customer "+id, err)
	}
	return customer(c), nil
}

// CreateCustomer creates the customer. A name in use is a
// *DuplicateNameError naming the customer that has it, when a look-up by
// name finds it.
func (q *QuickBooks) CreateCustomer(ctx context.Context, nc invoicing.NewCustomer, requestID string) (invoicing.QBCustomer, error) {
	body := quickbooks.Customer{
		DisplayName:          nc.DisplayName,
		BillAddr:             address(nc.Address),
		PrimaryEmailAddr:     email(nc.Email),
		PrimaryTaxIdentifier: nc.TaxID,
	}
	if nc.Currency != "" {
		body.CurrencyRef = &quickbooks.Ref{Value: nc.Currency}
	}
	c, err := q.client.CreateCustomer(ctx, requestID, body)
	if err != nil {
		err = q.fail(fmt.Sprintf("create customer %q", nc.DisplayName), err)
		var dup *invoicing.DuplicateNameError
		if errors.As(err, &dup) {
			dup.Name = nc.DisplayName
			if existing, lerr := q.client.CustomerByDisplayName(ctx, nc.DisplayName); lerr == nil && existing != nil {
				dup.ExistingID = existing.ID
			}
		}
		return invoicing.QBCustomer{}, err
	}
	return customer(c), nil
}

// UpdateCustomer writes the non-empty changes by sparse update.
func (q *QuickBooks) UpdateCustomer(ctx context.Context, id, syncToken string, ch invoicing.CustomerChanges, requestID string) (invoicing.QBCustomer, error) {
	body := quickbooks.Customer{
		ID:                   id,
		SyncToken:            syncToken,
		BillAddr:             address(ch.Address),
		PrimaryEmailAddr:     email(ch.Email),
		PrimaryTaxIdentifier: ch.TaxID,
	}
	c, err := q.client.UpdateCustomer(ctx, requestID, body)
	if err != nil {
		return invoicing.QBCustomer{}, q.fail("update customer "+id, err)
	}
	return customer(c), nil
}

// Items returns the active items.
func (q *QuickBooks) Items(ctx context.Context) ([]invoicing.Item, error) {
	all, err := q.client.Items(ctx)
	if err != nil {
		return nil, q.fail("list items", err)
	}
	out := []invoicing.Item{}
	for _, it := range all {
		if active(it.Active) {
			out = append(out, invoicing.Item{ID: it.ID, Name: it.Name, Sku: strings.TrimSpace(it.Sku)})
		}
	}
	return out, nil
}

// TaxCodes reads the tax codes and rates at once and returns the active
// codes, each with the sum of its sales rates.
func (q *QuickBooks) TaxCodes(ctx context.Context) ([]invoicing.TaxCode, error) {
	var (
		codes []quickbooks.TaxCode
		rates []quickbooks.TaxRate
	)
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() (err error) {
		if codes, err = q.client.TaxCodes(gctx); err != nil {
			return q.fail("list tax codes", err)
		}
		return nil
	})
	g.Go(func() (err error) {
		if rates, err = q.client.TaxRates(gctx); err != nil {
			return q.fail("list tax rates", err)
		}
		return nil
	})
	if err := g.Wait(); err != nil {
		return nil, err
	}
	rateOf := map[string]decimal.Decimal{}
	for _, r := range rates {
		if r.RateValue != nil {
			rateOf[r.ID] = r.RateValue.Decimal
		}
	}
	out := []invoicing.TaxCode{}
	for _, c := range codes {
		if !active(c.Active) {
			continue
		}
		tc := invoicing.TaxCode{ID: c.ID, Name: c.Name, Rate: decimal.Zero}
		if c.SalesTaxRateList != nil {
			for _, d := range c.SalesTaxRateList.TaxRateDetail {
				if d.TaxRateRef != nil {
					tc.Rate = tc.Rate.Add(rateOf[d.TaxRateRef.Value])
				}
			}
		}
		out = append(out, tc)
	}
	return out, nil
}

// Terms returns the active payment terms.
func (q *QuickBooks) Terms(ctx context.Context) ([]invoicing.Term, error) {
	all, err := q.client.Terms(ctx)
	if err != nil {
		return nil, q.fail("list terms", err)
	}
	out := []invoicing.Term{}
	for _, t := range all {
		if active(t.Active) {
			out = append(out, term(t))
		}
	}
	return out, nil
}

// term maps a QuickBooks term. A STANDARD term is due DueDays after the
// issue date; a DATE_DRIVEN one on a day of the month, and has no DueDays.
func term(t quickbooks.Term) invoicing.Term {
	if t.Type == "DATE_DRIVEN" || t.DueDays == nil {
		return invoicing.Term{ID: t.ID, Name: t.Name, DateDriven: true}
	}
	return invoicing.Term{ID: t.ID, Name: t.Name, DueDays: *t.DueDays}
}

// CreateInvoice creates the invoice. A number in use is a
// *DuplicateNumberError naming the transaction that has it.
func (q *QuickBooks) CreateInvoice(ctx context.Context, req invoicing.InvoiceRequest, requestID string) (invoicing.Invoice, error) {
	inv, err := q.client.CreateInvoice(ctx, requestID, invoiceBody(req))
	if err != nil {
		err = q.fail("create invoice", err)
		var dup *invoicing.DuplicateNumberError
		if errors.As(err, &dup) {
			dup.Number = req.DocNumber
		}
		return invoicing.Invoice{}, err
	}
	return invoice(inv), nil
}

// invoiceBody maps the request to the QuickBooks invoice to create.
func invoiceBody(req invoicing.InvoiceRequest) quickbooks.Invoice {
	inv := quickbooks.Invoice{
		CustomerRef:          &quickbooks.Ref{Value: req.CustomerID},
		DocNumber:            req.DocNumber,
		TxnDate:              qbDate(req.IssueDate),
		DueDate:              qbDate(req.DueDate),
		BillEmail:            email(req.BillEmail),
		GlobalTaxCalculation: string(req.GlobalTaxCalculation),
	}
	if strings.TrimSpace(req.BillAddress) != "" {
		inv.BillAddr = address(req.BillAddress)
	}
	if req.Currency != "" {
		inv.CurrencyRef = &quickbooks.Ref{Value: req.Currency}
	}
	if req.Terms != "" {
		inv.SalesTermRef = &quickbooks.Ref{Value: req.Terms}
	}
	if req.PrivateNote != "" {
		inv.PrivateNote = &req.PrivateNote
	}
	if req.CustomerMemo != "" {
		inv.CustomerMemo = &quickbooks.MemoRef{Value: req.CustomerMemo}
	}
	if req.GlobalTaxCalculation == "" { // a US company
		after := req.ApplyTaxAfterDiscount
		inv.ApplyTaxAfterDiscount = &after
	}
	if req.TxnTaxCode != "" {
		inv.TxnTaxDetail = &quickbooks.TxnTaxDetail{TxnTaxCodeRef: &quickbooks.Ref{Value: req.TxnTaxCode}}
	}
	for _, l := range req.Lines {
		detail := &quickbooks.SalesItemLineDetail{
			ItemRef:   &quickbooks.Ref{Value: l.ItemID},
			Qty:       quickbooks.Dec(l.Quantity),
			UnitPrice: quickbooks.Dec(l.UnitPrice),
		}
		if l.TaxCode != "" {
			detail.TaxCodeRef = &quickbooks.Ref{Value: l.TaxCode}
		}
		if !l.TaxInclusiveAmt.IsZero() {
			// Amount stays net; the gross rides along (quickbooks.md §6,
			// quickbooks-ruby #346/#569). UNVERIFIED against a sandbox.
			detail.TaxInclusiveAmt = quickbooks.Dec(l.TaxInclusiveAmt)
		}
		inv.Line = append(inv.Line, quickbooks.Line{
			Description:         l.Description,
			Amount:              quickbooks.Dec(l.Amount),
			DetailType:          quickbooks.SalesItemLine,
			SalesItemLineDetail: detail,
		})
	}
	if !req.Discount.IsZero() {
		percent := false
		inv.Line = append(inv.Line, quickbooks.Line{
			Amount:             quickbooks.Dec(req.Discount),
			DetailType:         quickbooks.DiscountLine,
			DiscountLineDetail: &quickbooks.DiscountLineDetail{PercentBased: &percent},
		})
	}
	return inv
}

// Invoice reads one invoice; a deleted one is ErrNotFound.
func (q *QuickBooks) Invoice(ctx context.Context, id string) (invoicing.Invoice, error) {
	inv, err := q.client.Invoice(ctx, id)
	if err != nil {
		return invoicing.Invoice{}, q.fail("read invoice "+id, err)
	}
	return invoice(inv), nil
}

// InvoicesByIDs reads the invoices by id, many per request (the client
// pages); deleted ones are absent.
func (q *QuickBooks) InvoicesByIDs(ctx context.Context, ids []string) ([]invoicing.Invoice, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	found, err := q.client.InvoicesByID(ctx, ids)
	if err != nil {
		return nil, q.fail(fmt.Sprintf("read %d invoices", len(ids)), err)
	}
	out := make([]invoicing.Invoice, 0, len(found))
	for i := range found {
		out = append(out, invoice(&found[i]))
	}
	return out, nil
}

// CustomerInvoices reads the customers' invoices, newest first, in one
// query of at most max.
func (q *QuickBooks) CustomerInvoices(ctx context.Context, customerIDs []string, max int) ([]invoicing.Invoice, error) {
	if len(customerIDs) == 0 || max <= 0 {
		return nil, nil
	}
	max = min(max, quickbooks.MaxResults)
	var found []quickbooks.Invoice
	query := quickbooks.Select("Invoice").In("CustomerRef", customerIDs...).OrderBy("TxnDate", true).Page(1, max)
	if err := q.client.Query(ctx, query, &found); err != nil {
		return nil, q.fail(fmt.Sprintf("read the invoices of %d customers", len(customerIDs)), err)
	}
	return invoices(found), nil
}

// InvoicesByNumber reads the invoices with these DocNumbers, in one query.
func (q *QuickBooks) InvoicesByNumber(ctx context.Context, numbers []string) ([]invoicing.Invoice, error) {
	if len(numbers) == 0 {
		return nil, nil
	}
	var found []quickbooks.Invoice
	query := quickbooks.Select("Invoice").In("DocNumber", numbers...).Page(1, quickbooks.MaxResults)
	if err := q.client.Query(ctx, query, &found); err != nil {
		return nil, q.fail(fmt.Sprintf("find %d invoice numbers", len(numbers)), err)
	}
	return invoices(found), nil
}

// UpdateInvoiceNote writes the invoice's PrivateNote by sparse update.
func (q *QuickBooks) UpdateInvoiceNote(ctx context.Context, id, syncToken, privateNote, requestID string) (invoicing.Invoice, error) {
	inv, err := q.client.UpdateInvoice(ctx, requestID, quickbooks.Invoice{ID: id, SyncToken: syncToken, PrivateNote: &privateNote})
	if err != nil {
		return invoicing.Invoice{}, q.fail("write the private note of invoice "+id, err)
	}
	return invoice(inv), nil
}

func invoices(found []quickbooks.Invoice) []invoicing.Invoice {
	out := make([]invoicing.Invoice, 0, len(found))
	for i := range found {
		out = append(out, invoice(&found[i]))
	}
	return out
}

// Changes asks change data capture for the invoices and payments changed
// since, in one request.
func (q *QuickBooks) Changes(ctx context.Context, since time.Time) (invoicing.ChangeSet, error) {
	ch, err := q.client.ChangedSince(ctx, since)
	if err != nil {
		return invoicing.ChangeSet{}, q.fail("read changes", err)
	}
	cs := invoicing.ChangeSet{Time: ch.Time}
	for i := range ch.Invoices {
		cs.Invoices = append(cs.Invoices, invoice(&ch.Invoices[i]))
	}
	seen := map[string]bool{}
	for i := range ch.Payments {
		for _, id := range ch.Payments[i].InvoiceIDs() {
			if !seen[id] {
				seen[id] = true
				cs.PaymentInvoiceIDs = append(cs.PaymentInvoiceIDs, id)
			}
		}
	}
	return cs, nil
}

// VoidInvoice voids the invoice.
func (q *QuickBooks) VoidInvoice(ctx context.Context, id, syncToken, requestID string) (invoicing.Invoice, error) {
	inv, err := q.client.VoidInvoice(ctx, requestID, id, syncToken)
	if err != nil {
		return invoicing.Invoice{}, q.fail("void invoice "+id, err)
	}
	return invoice(inv), nil
}

// DeleteInvoice deletes the invoice.
func (q *QuickBooks) DeleteInvoice(ctx context.Context, id, syncToken, requestID string) error {
	if err := q.client.DeleteInvoice(ctx, requestID, id, syncToken); err != nil {
		return q.fail("delete invoice "+id, err)
	}
	return nil
}

// SendInvoice has QuickBooks e-mail the invoice to the address to.
func (q *QuickBooks) SendInvoice(ctx context.Context, id, to, requestID string) (invoicing.Invoice, error) {
	inv, err := q.client.SendInvoice(ctx, requestID, id, to)
	if err != nil {
		return invoicing.Invoice{}, q.fail("send invoice "+id, err)
	}
	return invoice(inv), nil
}

// InvoicePDF streams the invoice's PDF; the caller closes it.
func (q *QuickBooks) InvoicePDF(ctx context.Context, id string) (io.ReadCloser, error) {
	rc, err := q.client.InvoicePDF(ctx, id)
	if err != nil {
		return nil, q.fail("download PDF of invoice "+id, err)
	}
	return rc, nil
}

// InvoiceURL returns the invoice's page in the QuickBooks web app of the
// client's environment (sandbox or production).
func (q *QuickBooks) InvoiceURL(id string) string { return q.client.InvoiceLink(id) }

// active reports whether an Active flag means active; QuickBooks leaves it
// out for active objects at times.
func active(b *bool) bool { return b == nil || *b }

// customer maps a QuickBooks customer.
func customer(c *quickbooks.Customer) invoicing.QBCustomer {
	out := invoicing.QBCustomer{
		ID:          c.ID,
		SyncToken:   c.SyncToken,
		DisplayName: c.DisplayName,
		TaxID:       c.PrimaryTaxIdentifier,
	}
	if c.PrimaryEmailAddr != nil {
		out.Email = c.PrimaryEmailAddr.Address
	}
	if c.BillAddr != nil {
		a := c.BillAddr
		out.Address = joinNonEmpty(", ", a.Line1, a.Line2, a.Line3, a.Line4, a.Line5,
			a.City, a.CountrySubDivisionCode, a.PostalCode, a.Country)
	}
	if c.CurrencyRef != nil {
		out.Currency = c.CurrencyRef.Value
	}
	return out
}

// address turns an address written as one text into a QuickBooks address:
// its lines, or its comma-separated parts, on Line1 to Line3 (the rest
// joined on Line3). Read back, the parts join into the same text.
func address(text string) *quickbooks.Address {
	var parts []string
	for _, line := range strings.Split(text, "\n") {
		for _, p := range strings.Split(line, ",") {
			if p = strings.TrimSpace(p); p != "" {
				parts = append(parts, p)
			}
		}
	}
	if len(parts) == 0 {
		return nil
	}
	if len(parts) > maxAddressLines {
		parts = append(parts[:maxAddressLines-1], strings.Join(parts[maxAddressLines-1:], ", "))
	}
	parts = append(parts, make([]string, maxAddressLines-len(parts))...)
	return &quickbooks.Address{Line1: parts[0], Line2: parts[1], Line3: parts[2]}
}

func email(addr string) *quickbooks.EmailAddress {
	if addr == "" {
		return nil
	}
	return &quickbooks.EmailAddress{Address: addr}
}

func joinNonEmpty(sep string, parts ...string) string {
	kept := parts[:0:0]
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			kept = append(kept, p)
		}
	}
	return strings.Join(kept, sep)
}

func qbDate(d invoicing.Date) *quickbooks.Date {
	if d.IsZero() {
		return nil
	}
	return &quickbooks.Date{Year: d.Year, Month: d.Month, Day: d.Day}
}

func invDate(d *quickbooks.Date) invoicing.Date {
	if d == nil {
		return invoicing.Date{}
	}
	return invoicing.NewDate(d.Year, d.Month, d.Day)
}

func amount(d *quickbooks.Decimal) decimal.Decimal {
	if d == nil {
		return decimal.Zero
	}
	return d.Decimal
}

// invoice maps a QuickBooks invoice, or the deletion marker CDC and delete send.
func invoice(inv *quickbooks.Invoice) invoicing.Invoice {
	out := invoicing.Invoice{
		ID:          inv.ID,
		SyncToken:   inv.SyncToken,
		DocNumber:   inv.DocNumber,
		IssueDate:   invDate(inv.TxnDate),
		DueDate:     invDate(inv.DueDate),
		Total:       amount(inv.TotalAmt),
		Balance:     amount(inv.Balance),
		EmailStatus: inv.EmailStatus,
		Deleted:     inv.Deleted(),
	}
	if inv.CustomerRef != nil {
		out.CustomerID, out.CustomerName = inv.CustomerRef.Value, inv.CustomerRef.Name
	}
	if inv.CurrencyRef != nil {
		out.Currency = inv.CurrencyRef.Value
	}
	if inv.PrivateNote != nil {
		out.PrivateNote = *inv.PrivateNote
	}
	if inv.BillEmail != nil {
		out.BillEmail = inv.BillEmail.Address
	}
	if inv.MetaData != nil && inv.MetaData.LastUpdatedTime != nil {
		out.UpdatedAt = *inv.MetaData.LastUpdatedTime
	}
	invoiceFigures(inv, &out)
	return out
}

// invoiceFigures copies what a rep or accountant checks on an invoice as
// QuickBooks computed it: the tax total, the discount lines, the deposit,
// and the home-currency total with its exchange rate (absent for an
// invoice in the home currency, so left zero).
func invoiceFigures(inv *quickbooks.Invoice, out *invoicing.Invoice) {
	if inv.TxnTaxDetail != nil {
		out.Tax = amount(inv.TxnTaxDetail.TotalTax)
	}
	for _, l := range inv.Line {
		if l.DetailType == quickbooks.DiscountLine {
			out.Discount = out.Discount.Add(amount(l.Amount))
		}
	}
	out.Deposit = amount(inv.Deposit)
	out.HomeTotal = amount(inv.HomeTotalAmt)
	out.ExchangeRate = amount(inv.ExchangeRate)
}
