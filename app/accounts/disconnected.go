package accounts

import (
	"context"
	"fmt"
	"io"
	"time"

	"dealbooks/app/invoicing"
)

// disconnected stands for Pipedrive and QuickBooks under the kept offline copies: no account is connected,
// so every call answers invoicing.ErrOffline and the service keeps to what it has stored.
type disconnected struct{}

var (
	_ invoicing.CRM        = disconnected{}
	_ invoicing.Accounting = disconnected{}
)

var errDisconnected = fmt.Errorf("%w: %w", invoicing.ErrOffline, invoicing.ErrReadOnly)

func (disconnected) ListDeals(context.Context, invoicing.DealFilter, string) (invoicing.DealPage, error) {
	return invoicing.DealPage{}, errDisconnected
}
func (disconnected) SearchDeals(context.Context, string) ([]invoicing.Deal, error) {
	return nil, errDisconnected
}
func (disconnected) DealBundle(context.Context, int64) (invoicing.DealBundle, error) {
	return invoicing.DealBundle{}, errDisconnected
}
func (disconnected) Fields(context.Context) ([]invoicing.Field, error) { return nil, errDisconnected }
func (disconnected) AddNote(context.Context, int64, string) (int64, error) {
	return 0, errDisconnected
}
func (disconnected) DealNotes(context.Context, int64) ([]invoicing.DealNote, error) {
	return nil, errDisconnected
}
func (disconnected) Users(context.Context) ([]invoicing.Owner, error) { return nil, errDisconnected }

func (disconnected) Company(context.Context) (invoicing.Company, error) {
	return invoicing.Company{}, errDisconnected
}
func (disconnected) Customers(context.Context) ([]invoicing.QBCustomer, error) {
	return nil, errDisconnected
}
func (disconnected) Customer(context.Context, string) (invoicing.QBCustomer, error) {
	return invoicing.QBCustomer{}, errDisconnected
}
func (disconnected) CreateCustomer(context.Context, invoicing.NewCustomer, string) (invoicing.QBCustomer, error) {
	return invoicing.QBCustomer{}, errDisconnected
}
func (disconnected) UpdateCustomer(context.Context, string, string, invoicing.CustomerChanges, string) (invoicing.QBCustomer, error) {
	return invoicing.QBCustomer{}, errDisconnected
}
func (disconnected) Items(context.Context) ([]invoicing.Item, error) { return nil, errDisconnected }
func (disconnected) TaxCodes(context.Context) ([]invoicing.TaxCode, error) {
	return nil, errDisconnected
}
func (disconnected) Terms(context.Context) ([]invoicing.Term, error) { return nil, errDisconnected }
func (disconnected) CreateInvoice(context.Context, invoicing.InvoiceRequest, string) (invoicing.Invoice, error) {
	return invoicing.Invoice{}, errDisconnected
}
func (disconnected) Invoice(context.Context, string) (invoicing.Invoice, error) {
	return invoicing.Invoice{}, errDisconnected
}
func (disconnected) InvoicesByIDs(context.Context, []string) ([]invoicing.Invoice, error) {
	return nil, errDisconnected
}
func (disconnected) CustomerInvoices(context.Context, []string, int) ([]invoicing.Invoice, error) {
	return nil, errDisconnected
}
func (disconnected) InvoicesByNumber(context.Context, []string) ([]invoicing.Invoice, error) {
	return nil, errDisconnected
}
func (disconnected) UpdateInvoiceNote(context.Context, string, string, string, string) (invoicing.Invoice, error) {
	return invoicing.Invoice{}, errDisconnected
}
func (disconnected) Changes(context.Context, time.Time) (invoicing.ChangeSet, error) {
	return invoicing.ChangeSet{}, errDisconnected
}
func (disconnected) VoidInvoice(context.Context, string, string, string) (invoicing.Invoice, error) {
	return invoicing.Invoice{}, errDisconnected
}
func (disconnected) DeleteInvoice(context.Context, string, string, string) error {
	return errDisconnected
}
func (disconnected) SendInvoice(context.Context, string, string, string) (invoicing.Invoice, error) {
	return invoicing.Invoice{}, errDisconnected
}
func (disconnected) InvoicePDF(context.Context, string) (io.ReadCloser, error) {
	return nil, errDisconnected
}
func (disconnected) InvoiceURL(string) string { return "" }
