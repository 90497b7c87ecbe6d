package ui

import (
	"context"
	"errors"
	"strings"
	"time"

	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"github.com/shopspring/decimal"

	"dealbooks/app/invoicing"
)

// Invoicing is what the Deals and Invoices screens need from the invoicing service. *invoicing.Service
// satisfies it; tests use a fake. Every method may block on the network or the disk, so the screens call them
// off the UI goroutine.
type Invoicing interface {
	Deals(ctx context.Context, q invoicing.DealQuery) (invoicing.DealList, error)
	SearchDeals(ctx context.Context, q invoicing.DealQuery) (invoicing.DealSearch, error)
	RefreshDeals(ctx context.Context) (int, error)
	Owners(ctx context.Context) ([]invoicing.Owner, error)

	Company(ctx context.Context) (invoicing.Company, error)
	BuildDraft(ctx context.Context, dealID int64) (invoicing.BuiltDraft, error)
	SaveDraft(ctx context.Context, d invoicing.Draft) error
	SavedDraft(ctx context.Context, dealID int64) (invoicing.Draft, error)
	Items(ctx context.Context) ([]invoicing.Item, error)
	TaxCodes(ctx context.Context) ([]invoicing.TaxCode, error)
	Terms(ctx context.Context) ([]invoicing.Term, error)
	LinkItem(ctx context.Context, productID int64, itemID string) error
	AlreadyInvoiced(ctx context.Context, deal invoicing.Deal) (invoicing.AlreadyInvoiced, error)
	CustomerMatches(ctx context.Context, d invoicing.Draft) ([]invoicing.CustomerMatch, error)
	LinkCustomer(ctx context.Context, d invoicing.Draft, customerID string) (invoicing.Draft, error)
	UnlinkCustomer(ctx context.Context, d invoicing.Draft) (invoicing.Draft, error)
	CreateInvoice(ctx context.Context, d invoicing.Draft) (invoicing.CreateResult, error)
	Resume(ctx context.Context) (invoicing.ResumeResult, error)

	History(ctx context.Context, q invoicing.HistoryQuery) (invoicing.History, error)
	Refresh(ctx context.Context) (invoicing.RefreshResult, error)
	Void(ctx context.Context, invoiceID string) (invoicing.Invoice, error)
	Delete(ctx context.Context, invoiceID string) (invoicing.Invoice, error)
	Send(ctx context.Context, invoiceID, to string) (invoicing.Invoice, error)
	PDF(ctx context.Context, invoiceID string) (string, error)
	InvoiceURL(invoiceID string) string
	AdoptCandidates(ctx context.Context, d invoicing.Deal) (invoicing.AdoptCandidates, error)
	InvoicesByNumber(ctx context.Context, numbers []string) ([]invoicing.Invoice, error)
	AdoptInvoices(ctx context.Context, dealID int64, invoiceIDs []string) error
}

var _ Invoicing = (*invoicing.Service)(nil)

// showProblem tells the rep in one plain sentence what went wrong and what to do next; the details go to the log.
func (m *MainWindow) showProblem(what string, err error) {
	m.deps.Log.Error(what, "err", err)
	m.showNotDone(explain(err))
}

// showNotDone shows sentence, which says what was not done and what to do next, in the window's "Not done" dialog.
func (m *MainWindow) showNotDone(sentence string) {
	m.showDialog(dialog.NewInformation(lang.X("problem.title", "Not done"), sentence, m.window), nil)
}

// explain turns an error from the invoicing service into one plain sentence with the next step, in the
// rep's language.
func explain(err error) string {
	var (
		ve *invoicing.ValidationError
		dn *invoicing.DuplicateNameError
		dd *invoicing.DuplicateNumberError
		ce *invoicing.ChangedError
		pe *invoicing.ProviderError
		ai *invoicing.AlreadyInvoicedError
		nf *invoicing.NotFoundError
		ui *invoicing.UnknownInvoicesError
	)
	switch {
	case errors.Is(err, context.Canceled):
		return lang.X("problem.cancelled", "Stopped before it finished. Refresh to see what QuickBooks has now.")
	case errors.As(err, &ve):
		return lang.X("problem.validation", "Some details need correcting first; they are marked in the form.")
	case errors.As(err, &dn):
		return lang.X("problem.duplicate_name", "QuickBooks already has a customer named {{.Name}}. Link the deal to that customer, or change the name in To.",
			map[string]any{"Name": dn.Name})
	case errors.As(err, &ai) && len(ai.Invoices) > 0:
		return lang.X("problem.already_invoiced", "This deal already has invoice {{.Number}}. To bill it again, choose Create another invoice.",
			map[string]any{"Number": invoiceNumberText(ai.Invoices[0])})
	case errors.As(err, &dd):
		if dd.ExistingID != "" {
			return lang.X("problem.duplicate_number.named", "Invoice number {{.Number}} is already used in QuickBooks, by {{.Type}} {{.ID}}. Choose another number and try again.",
				map[string]any{"Number": dd.Number, "Type": dd.ExistingType, "ID": dd.ExistingID})
		}
		return lang.X("problem.duplicate_number", "Invoice number {{.Number}} is already used in QuickBooks. Choose another number and try again.",
			map[string]any{"Number": dd.Number})
	case errors.As(err, &ce):
		today := invoicing.DateOf(time.Now())
		return lang.X("problem.changed", "Invoice {{.Number}} changed in QuickBooks meanwhile: it is now {{.Now}}, {{.Balance}} to pay (it was {{.Was}}, {{.WasBalance}}). Check it, then try again.",
			map[string]any{
				"Number":     ce.After.DocNumber,
				"Now":        statusText(ce.After.Status(today)),
				"Balance":    money(ce.After.Balance, ce.After.Currency),
				"Was":        statusText(ce.Before.Status(today)),
				"WasBalance": money(ce.Before.Balance, ce.Before.Currency),
			})
	case errors.Is(err, invoicing.ErrPaymentsLinked):
		return lang.X("problem.payments", "QuickBooks cannot delete an invoice with payments. Void it instead, or remove the payments in QuickBooks first.")
	case errors.Is(err, invoicing.ErrReadOnly):
		return lang.X("problem.read_only", "These are the offline copies kept at a disconnect, for reading. Connect Pipedrive and QuickBooks again in Settings to work on them.")
	case errors.Is(err, invoicing.ErrAuthExpired):
		return lang.X("problem.auth", "The connection has expired. Connect again in Settings, then try again.")
	case errors.Is(err, invoicing.ErrOffline), errors.Is(err, context.DeadlineExceeded):
		return lang.X("problem.offline", "Pipedrive or QuickBooks cannot be reached. Check the network and try again.")
	case errors.Is(err, invoicing.ErrAlreadyVoided):
		return lang.X("problem.already_voided", "This invoice is already voided in QuickBooks; there is nothing more to do.")
	case errors.As(err, &ui) && len(ui.Numbers) > 0:
		return lang.X("problem.unknown_number", "QuickBooks has no invoice numbered {{.Numbers}}. Check the number in QuickBooks and try again.",
			map[string]any{"Numbers": strings.Join(ui.Numbers, ", ")})
	case errors.As(err, &nf) && nf.Kind == "deal":
		return lang.X("problem.not_found.deal", "Pipedrive no longer has deal {{.ID}}: it was deleted or merged. Choose the deal again from the list.",
			map[string]any{"ID": nf.ID})
	case errors.Is(err, invoicing.ErrNotFound):
		return lang.X("problem.not_found", "It no longer exists. Refresh to see the latest state.")
	case errors.As(err, &pe):
		return lang.X("problem.provider", "{{.Provider}} refused it: {{.Message}}. Correct it and try again.",
			map[string]any{"Provider": pe.Provider, "Message": pe.Message})
	}
	return lang.X("problem.unknown", "Something went wrong. Try again; if it keeps happening, send the log files to support.")
}

// money formats an amount with its currency's decimals and code, in the rep's language: "1,234.50 EUR" in
// English, "1.234,50 EUR" in Dutch.
func money(amount decimal.Decimal, currency string) string {
	return strings.TrimSpace(amountText(amount, currency) + " " + currency)
}

// amountText formats an amount with its currency's decimals and the language's separators, without the code.
func amountText(amount decimal.Decimal, currency string) string {
	fixed := invoicing.RoundAmount(amount, currency).StringFixed(invoicing.CurrencyDecimals(currency))
	sign := ""
	if strings.HasPrefix(fixed, "-") {
		sign, fixed = "-", fixed[1:]
	}
	whole, frac, _ := strings.Cut(fixed, ".")
	var b strings.Builder
	b.WriteString(sign)
	group := lang.X("format.thousands", ",")
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteString(group)
		}
		b.WriteRune(r)
	}
	if frac != "" {
		b.WriteString(lang.X("format.decimal", "."))
		b.WriteString(frac)
	}
	return b.String()
}

// dateText formats a date as the rep's language writes it: "Mar 13, 2026" in English, "13-3-2026" in Dutch.
func dateText(d invoicing.Date) string {
	if d.IsZero() {
		return ""
	}
	t, err := time.Parse("2006-01-02", d.String())
	if err != nil {
		return d.String()
	}
	return t.Format(lang.X("format.date", "Jan 2, 2006"))
}

// timeText formats a moment for "Updated at …" and the offline banner, in the computer's zone.
func timeText(t time.Time) string {
	t = t.Local()
	return t.Format(lang.X("format.date", "Jan 2, 2006")) + " " + t.Format("15:04")
}
