package cli

import (
	"context"
	"fmt"
	"io"
	"sync/atomic"
	"time"

	"dealbooks/app/invoicing"
)

// gate puts Pipedrive and QuickBooks out of reach at once: while down every call answers ErrOffline
// without touching the network (the real clients would first back off and retry for seconds).
type gate struct{ down atomic.Bool }

func (g *gate) err(op string) error {
	if g.down.Load() {
		return fmt.Errorf("%s: connection refused: %w", op, invoicing.ErrOffline)
	}
	return nil
}

type gatedCRM struct {
	invoicing.CRM
	g *gate
}

func (c gatedCRM) ListDeals(ctx context.Context, f invoicing.DealFilter, cursor string) (invoicing.DealPage, error) {
	if err := c.g.err("ListDeals"); err != nil {
		return invoicing.DealPage{}, err
	}
	return c.CRM.ListDeals(ctx, f, cursor)
}
func (c gatedCRM) SearchDeals(ctx context.Context, term string) ([]invoicing.Deal, error) {
	if err := c.g.err("SearchDeals"); err != nil {
		return nil, err
	}
	return c.CRM.SearchDeals(ctx, term)
}
func (c gatedCRM) DealBundle(ctx context.Context, id int64) (invoicing.DealBundle, error) {
	if err := c.g.err("DealBundle"); err != nil {
		return invoicing.DealBundle{}, err
	}
	return c.CRM.DealBundle(ctx, id)
}
func (c gatedCRM) Fields(ctx context.Context) ([]invoicing.Field, error) {
	if err := c.g.err("Fields"); err != nil {
		return nil, err
	}
	return c.CRM.Fields(ctx)
}
func (c gatedCRM) AddNote(ctx context.Context, id int64, html string) (int64, error) {
	if err := c.g.err("AddNote"); err != nil {
		return 0, err
	}
	return c.CRM.AddNote(ctx, id, html)
}
func (c gatedCRM) Users(ctx context.Context) ([]invoicing.Owner, error) {
	if err := c.g.err("Users"); err != nil {
		return nil, err
	}
	return c.CRM.Users(ctx)
}

type gatedAccounting struct {
	invoicing.Accounting
	g *gate
}

func (a gatedAccounting) Company(ctx context.Context) (invoicing.Company, error) {
	if err := a.g.err("Company"); err != nil {
		return invoicing.Company{}, err
	}
	return a.Accounting.Company(ctx)
}
func (a gatedAccounting) Customers(ctx context.Context) ([]invoicing.QBCustomer, error) {
	if err := a.g.err("Customers"); err != nil {
		return nil, err
	}
	return a.Accounting.Customers(ctx)
}
func (a gatedAccounting) Customer(ctx context.Context, id string) (invoicing.QBCustomer, error) {
	if err := a.g.err("Customer"); err != nil {
		return invoicing.QBCustomer{}, err
	}
	return a.Accounting.Customer(ctx, id)
}
func (a gatedAccounting) CreateCustomer(ctx context.Context, c invoicing.NewCustomer, req string) (invoicing.QBCustomer, error) {
	if err := a.g.err("CreateCustomer"); err != nil {
		return invoicing.QBCustomer{}, err
	}
	return a.Accounting.CreateCustomer(ctx, c, req)
}
func (a gatedAccounting) UpdateCustomer(ctx context.Context, id, sync string, ch invoicing.CustomerChanges, req string) (invoicing.QBCustomer, error) {
	if err := a.g.err("UpdateCustomer"); err != nil {
		return invoicing.QBCustomer{}, err
	}
	return a.Accounting.UpdateCustomer(ctx, id, sync, ch, req)
}
func (a gatedAccounting) Items(ctx context.Context) ([]invoicing.Item, error) {
	if err := a.g.err("Items"); err != nil {
		return nil, err
	}
	return a.Accounting.Items(ctx)
}
func (a gatedAccounting) TaxCodes(ctx context.Context) ([]invoicing.TaxCode, error) {
	if err := a.g.err("TaxCodes"); err != nil {
		return nil, err
	}
	return a.Accounting.TaxCodes(ctx)
}
func (a gatedAccounting) Terms(ctx context.Context) ([]invoicing.Term, error) {
	if err := a.g.err("Terms"); err != nil {
		return nil, err
	}
	return a.Accounting.Terms(ctx)
}
func (a gatedAccounting) CreateInvoice(ctx context.Context, inv invoicing.InvoiceRequest, req string) (invoicing.Invoice, error) {
	if err := a.g.err("CreateInvoice"); err != nil {
		return invoicing.Invoice{}, err
	}
	return a.Accounting.CreateInvoice(ctx, inv, req)
}
func (a gatedAccounting) Invoice(ctx context.Context, id string) (invoicing.Invoice, error) {
	if err := a.g.err("Invoice"); err != nil {
		return invoicing.Invoice{}, err
	}
	return a.Accounting.Invoice(ctx, id)
}
func (a gatedAccounting) InvoicesByIDs(ctx context.Context, ids []string) ([]invoicing.Invoice, error) {
	if err := a.g.err("InvoicesByIDs"); err != nil {
		return nil, err
	}
	return a.Accounting.InvoicesByIDs(ctx, ids)
}
func (a gatedAccounting) Changes(ctx context.Context, since time.Time) (invoicing.ChangeSet, error) {
	if err := a.g.err("Changes"); err != nil {
		return invoicing.ChangeSet{}, err
	}
	return a.Accounting.Changes(ctx, since)
}
func (a gatedAccounting) VoidInvoice(ctx context.Context, id, sync, req string) (invoicing.Invoice, error) {
	if err := a.g.err("VoidInvoice"); err != nil {
		return invoicing.Invoice{}, err
	}
	return a.Accounting.VoidInvoice(ctx, id, sync, req)
}
func (a gatedAccounting) DeleteInvoice(ctx context.Context, id, sync, req string) error {
	if err := a.g.err("DeleteInvoice"); err != nil {
		return err
	}
	return a.Accounting.DeleteInvoice(ctx, id, sync, req)
}
func (a gatedAccounting) SendInvoice(ctx context.Context, id, to, req string) (invoicing.Invoice, error) {
	if err := a.g.err("SendInvoice"); err != nil {
		return invoicing.Invoice{}, err
	}
	return a.Accounting.SendInvoice(ctx, id, to, req)
}
func (a gatedAccounting) InvoicePDF(ctx context.Context, id string) (io.ReadCloser, error) {
	if err := a.g.err("InvoicePDF"); err != nil {
		return nil, err
	}
	return a.Accounting.InvoicePDF(ctx, id)
}
