package qbofake

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

const maxDocNumberLen = 21

var hundred = decimal.NewFromInt(100)

// addInvoice validates and prices a new invoice and stores it.
func (co *company) addInvoice(inv Invoice) (*Invoice, *apiError) {
	if err := co.price(&inv, nil); err != nil {
		return nil, err
	}
	inv.ID, inv.SyncToken, inv.Domain, inv.Sparse, inv.MetaData = co.newID(), "0", "QBO", false, co.newMeta()
	if inv.LinkedTxn == nil {
		inv.LinkedTxn = []LinkedTxn{}
	}
	co.invoices[inv.ID] = &inv
	co.refreshBalance(inv.CustomerRef.Value)
	return &inv, nil
}

// liveInvoice returns the invoice for an update body after the Id and
// SyncToken checks.
func (co *company) liveInvoice(body map[string]json.RawMessage) (*Invoice, *apiError) {
	id, tok, err := idAndToken(body)
	if err != nil {
		return nil, err
	}
	cur := co.invoices[id]
	if cur == nil {
		return nil, errNotFound()
	}
	if tok != cur.SyncToken {
		return nil, errStale()
	}
	return cur, nil
}

func (co *company) updateInvoice(body map[string]json.RawMessage) (*Invoice, *apiError) {
	cur, err := co.liveInvoice(body)
	if err != nil {
		return nil, err
	}
	next, err := merge(cur, body, isSparse(body))
	if err != nil {
		return nil, err
	}
	if err := co.price(next, cur); err != nil {
		return nil, err
	}
	next.ID, next.Domain, next.Sparse, next.MetaData = cur.ID, "QBO", false, cur.MetaData
	next.LinkedTxn, next.DeliveryInfo = cur.LinkedTxn, cur.DeliveryInfo
	next.SyncToken = bumpToken(cur.SyncToken)
	co.touch(next.MetaData)
	co.invoices[cur.ID] = next
	co.refreshBalance(cur.CustomerRef.Value)
	co.refreshBalance(next.CustomerRef.Value)
	return next, nil
}

// price checks an invoice against the company and fills what QuickBooks
// fills: names on refs, line amounts, subtotal, tax, totals, dates, number.
// prev is the stored invoice on update.
func (co *company) price(inv *Invoice, prev *Invoice) *apiError {
	if inv.CustomerRef == nil || inv.CustomerRef.Value == "" {
		return errRequired("CustomerRef")
	}
	cust := co.customers[inv.CustomerRef.Value]
	if cust == nil || !active(cust.Active) {
		return errInvalidRef("CustomerRef", inv.CustomerRef.Value)
	}
	inv.CustomerRef.Name = cust.DisplayName
	if err := co.priceCurrency(inv, cust); err != nil {
		return err
	}
	places := currencyPlaces(inv.CurrencyRef.Value)
	if err := co.priceDates(inv, cust); err != nil {
		return err
	}
	if err := co.priceNumber(inv); err != nil {
		return err
	}
	subtotal, _, err := co.priceLines(inv, places)
	if err != nil {
		return err
	}
	discount, err := priceDiscount(inv, subtotal, places)
	if err != nil {
		return err
	}
	tax, err := co.priceTax(inv, subtotal, discount, places)
	if err != nil {
		return err
	}
	total := subtotal.Sub(discount).Add(tax)
	// Balance is TotalAmt less the deposit taken on the invoice and the payments applied ("Deposit …
	// reduces Balance"; Intuit's sample: TotalAmt 52, Deposit 12, Balance 40, no payment).
	paid := decimal.Zero
	if prev != nil {
		paid = prev.TotalAmt.dec().Sub(prev.Deposit.dec()).Sub(prev.Balance.dec())
	}
	deposit := inv.Deposit.dec()
	if deposit.IsNegative() || deposit.Add(paid).GreaterThan(total) {
		return errBusiness("The deposit and the payments cannot be more than the invoice total.")
	}
	inv.Deposit = num(deposit.Round(places))
	balance := total.Sub(deposit).Sub(paid)
	inv.TotalAmt, inv.Balance = num(total.Round(places)), num(balance.Round(places))
	inv.HomeTotalAmt, inv.HomeBalance = nil, nil
	if inv.CurrencyRef.Value != co.home {
		rate := inv.ExchangeRate.dec()
		inv.HomeTotalAmt = num(total.Mul(rate).Round(2))
		inv.HomeBalance = num(balance.Mul(rate).Round(2))
	}
	if inv.BillEmail == nil && cust.PrimaryEmailAddr != nil {
		inv.BillEmail = &Email{Address: cust.PrimaryEmailAddr.Address}
	}
	if inv.BillAddr == nil {
		inv.BillAddr = cust.BillAddr
	}
	if inv.ShipAddr == nil {
		inv.ShipAddr = cust.ShipAddr
	}
	if inv.ShipAddr == nil {
		inv.ShipAddr = cust.BillAddr
	}
	if inv.EmailStatus == "" {
		inv.EmailStatus = "NotSet"
	}
	if inv.PrintStatus == "" {
		inv.PrintStatus = "NotSet"
	}
	return nil
}

func (co *company) priceCurrency(inv *Invoice, cust *Customer) *apiError {
	if inv.CurrencyRef == nil || inv.CurrencyRef.Value == "" {
		if co.multiCurrency {
			return errRequired("CurrencyRef")
		}
		inv.CurrencyRef = &Ref{Value: co.home}
	}
	if err := co.checkCurrency(inv.CurrencyRef.Value); err != nil {
		return err
	}
	if inv.CurrencyRef.Value != cust.CurrencyRef.Value {
		return errBusiness(fmt.Sprintf("The currency of the transaction (%s) must be the customer's currency (%s).",
			inv.CurrencyRef.Value, cust.CurrencyRef.Value))
	}
	inv.CurrencyRef.Name = currencyNames[inv.CurrencyRef.Value]
	switch {
	case inv.CurrencyRef.Value == co.home:
		inv.ExchangeRate = nil
	case inv.ExchangeRate == nil:
		inv.ExchangeRate = num(co.exchangeRate(inv.CurrencyRef.Value))
	case !inv.ExchangeRate.IsPositive():
		return errBusiness("The exchange rate must be greater than zero.")
	}
	return nil
}

func (co *company) priceDates(inv *Invoice, cust *Customer) *apiError {
	if inv.TxnDate == "" {
		inv.TxnDate = co.today()
	}
	txn, perr := time.Parse(time.DateOnly, inv.TxnDate)
	if perr != nil {
		return errBadRequest("TxnDate is not a date: " + inv.TxnDate)
	}
	termRef := inv.SalesTermRef
	if termRef == nil {
		termRef = cust.SalesTermRef
	}
	if termRef == nil && co.defaultTerms != "" {
		termRef = &Ref{Value: co.defaultTerms}
	}
	var term *Term
	if termRef != nil {
		if term = co.terms[termRef.Value]; term == nil {
			return errInvalidRef("SalesTermRef", termRef.Value)
		}
		inv.SalesTermRef = &Ref{Value: term.ID, Name: term.Name}
	}
	if inv.DueDate == "" {
		days := 0
		if term != nil {
			days = term.DueDays
		}
		inv.DueDate = txn.AddDate(0, 0, days).Format(time.DateOnly)
	}
	if due, err := time.Parse(time.DateOnly, inv.DueDate); err != nil {
		return errBadRequest("DueDate is not a date: " + inv.DueDate)
	} else if due.Before(txn) {
		return errBusiness("The due date cannot be before the transaction date.")
	}
	return nil
}

func (co *company) priceNumber(inv *Invoice) *apiError {
	if inv.DocNumber == "" && !co.customNumbers {
		inv.DocNumber = co.nextDocNumber()
	}
	if len(inv.DocNumber) > maxDocNumberLen {
		return validation("6000", "A business validation error has occurred while processing your request",
			fmt.Sprintf("Business Validation Error: DocNumber is longer than %d characters.", maxDocNumberLen), "DocNumber")
	}
	if inv.DocNumber == "" {
		return nil
	}
	for _, o := range co.invoices {
		if o.ID != inv.ID && o.DocNumber == inv.DocNumber {
			return errDuplicateDocNumber(inv.DocNumber, o.ID)
		}
	}
	return nil
}

// nextDocNumber continues QuickBooks' numbering from the highest number in
// use, as QuickBooks does (including numbers with a prefix).
func (co *company) nextDocNumber() string {
	next := 1001
	for _, o := range co.invoices {
		digits := strings.TrimLeft(o.DocNumber, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_/ ")
		if n, err := strconv.Atoi(digits); err == nil && n >= next {
			next = n + 1
		}
	}
	return strconv.Itoa(next)
}

// priceLines resolves and prices the lines, returning the subtotal and the
// taxable base per tax code.
func (co *company) priceLines(inv *Invoice, places int32) (decimal.Decimal, map[string]decimal.Decimal, *apiError) {
	subtotal := decimal.Zero
	taxable := map[string]decimal.Decimal{}
	var lines []Line
	for _, l := range inv.Line {
		switch l.DetailType {
		case "SubTotalLineDetail":
			continue // recomputed below
		case "DiscountLineDetail":
			lines = append(lines, l)
			continue
		case "DescriptionOnly":
			l.Amount = nil
			lines = append(lines, l)
			continue
		case "SalesItemLineDetail":
		default:
			return decimal.Zero, nil, errBadRequest("unsupported Line DetailType " + strconv.Quote(l.DetailType))
		}
		d := l.SalesItemLineDetail
		if d == nil {
			d = &SalesItemLineDetail{}
			l.SalesItemLineDetail = d
		}
		if d.ItemRef == nil || d.ItemRef.Value == "" {
			d.ItemRef = &Ref{Value: co.defaultItem}
		}
		item := co.items[d.ItemRef.Value]
		if item == nil || !active(item.Active) {
			return decimal.Zero, nil, errInvalidRef("ItemRef", d.ItemRef.Value)
		}
		d.ItemRef.Name = item.Name
		if d.Qty != nil && d.UnitPrice != nil {
			want := d.Qty.Mul(d.UnitPrice.Decimal).Round(places)
			if l.Amount != nil && !l.Amount.Equal(want) {
				return decimal.Zero, nil, validation("6070", "Amount calculation incorrect in the request",
					"Amount is not equal to Qty * UnitPrice. Supplied value:"+l.Amount.String(), "Amount")
			}
			l.Amount = num(want)
		}
		if l.Amount == nil {
			return decimal.Zero, nil, errRequired("Amount")
		}
		l.Amount = num(l.Amount.Round(places))
		code, err := co.lineTaxCode(inv, d)
		if err != nil {
			return decimal.Zero, nil, err
		}
		if code != "" {
			taxable[code] = taxable[code].Add(l.Amount.Decimal)
		}
		subtotal = subtotal.Add(l.Amount.Decimal)
		lines = append(lines, l)
	}
	if len(lines) == 0 {
		return decimal.Zero, nil, errRequired("Line")
	}
	for i := range lines {
		lines[i].ID, lines[i].LineNum = strconv.Itoa(i+1), i+1
	}
	inv.Line = append(lines, Line{Amount: num(subtotal.Round(places)), DetailType: "SubTotalLineDetail", SubTotalLineDetail: &struct{}{}})
	return subtotal, taxable, nil
}

// lineTaxCode checks a line's tax code and returns the code whose rates
// apply to it ("" when the line is not taxed).
func (co *company) lineTaxCode(inv *Invoice, d *SalesItemLineDetail) (string, *apiError) {
	if co.us() {
		if d.TaxCodeRef == nil {
			d.TaxCodeRef = &Ref{Value: "NON"}
		}
		switch d.TaxCodeRef.Value {
		case "NON":
			return "", nil
		case "TAX":
			return "TAX", nil
		}
		return "", validation("6100", "Invalid Line TaxCode in the request",
			"Valid Line TaxCodes for US should be TAX or NON. Supplied value:"+d.TaxCodeRef.Value, "TaxCodeRef")
	}
	if inv.GlobalTaxCalculation == "NotApplicable" {
		return "", nil
	}
	if d.TaxCodeRef == nil || d.TaxCodeRef.Value == "" {
		return "", errBusiness("Make sure all your transactions have a VAT rate before you save.")
	}
	tc := co.taxCodes[d.TaxCodeRef.Value]
	if tc == nil {
		return "", errInvalidRef("TaxCodeRef", d.TaxCodeRef.Value)
	}
	d.TaxCodeRef.Name = tc.Name
	return tc.ID, nil
}

func priceDiscount(inv *Invoice, subtotal decimal.Decimal, places int32) (decimal.Decimal, *apiError) {
	total := decimal.Zero
	for i, l := range inv.Line {
		if l.DetailType != "DiscountLineDetail" {
			continue
		}
		d := l.DiscountLineDetail
		switch {
		case d != nil && d.PercentBased && d.DiscountPercent != nil:
			l.Amount = num(subtotal.Mul(d.DiscountPercent.Decimal).Div(hundred).Round(places))
		case l.Amount == nil:
			return decimal.Zero, validation("6090", "Discount Line missing required info.", "Discount amount or percent should be provided.", "")
		}
		inv.Line[i] = l
		total = total.Add(l.Amount.Decimal)
	}
	if total.GreaterThan(subtotal) {
		return decimal.Zero, errBusiness("The discount cannot be more than the subtotal.")
	}
	return total, nil
}

// voidInvoice zeroes every amount, notes "Voided" and bumps the SyncToken.
func (co *company) voidInvoice(body map[string]json.RawMessage) (*Invoice, *apiError) {
	inv, err := co.liveInvoice(body)
	if err != nil {
		return nil, err
	}
	if hasPayments(inv) {
		return nil, errBusiness("This transaction has payments applied; remove them before you void it.")
	}
	zero := func() *Num { return num(decimal.Zero) }
	for i := range inv.Line {
		inv.Line[i].Amount = zero()
		if d := inv.Line[i].SalesItemLineDetail; d != nil && d.Qty != nil {
			d.Qty = zero()
		}
	}
	inv.TxnTaxDetail = &TxnTaxDetail{TotalTax: zero()}
	inv.TotalAmt, inv.Balance = zero(), zero()
	if inv.HomeTotalAmt != nil {
		inv.HomeTotalAmt, inv.HomeBalance = zero(), zero()
	}
	if inv.PrivateNote == "" {
		inv.PrivateNote = "Voided"
	} else if !strings.HasPrefix(inv.PrivateNote, "Voided") {
		inv.PrivateNote = "Voided - " + inv.PrivateNote
	}
	inv.SyncToken = bumpToken(inv.SyncToken)
	co.touch(inv.MetaData)
	co.refreshBalance(inv.CustomerRef.Value)
	return inv, nil
}

func hasPayments(inv *Invoice) bool {
	for _, t := range inv.LinkedTxn {
		if t.TxnType == "Payment" {
			return true
		}
	}
	return false
}

// deleteInvoice removes the invoice and remembers the deletion for CDC.
func (co *company) deleteInvoice(body map[string]json.RawMessage) (*Invoice, *apiError) {
	inv, err := co.liveInvoice(body)
	if err != nil {
		return nil, err
	}
	if hasPayments(inv) {
		return nil, errBusiness("You must unlink any linked transactions associated with the invoice before deleting it.")
	}
	delete(co.invoices, inv.ID)
	co.deleted = append(co.deleted, deletion{entity: "Invoice", id: inv.ID, at: co.now()})
	co.refreshBalance(inv.CustomerRef.Value)
	return inv, nil
}

// sendInvoice marks the invoice e-mailed, to sendTo when given.
func (co *company) sendInvoice(id, sendTo string) (*Invoice, *apiError) {
	inv := co.invoices[id]
	if inv == nil {
		return nil, errNotFound()
	}
	if sendTo != "" {
		if !validEmail(sendTo) {
			return nil, errBusiness("Invalid Email Address format: " + sendTo)
		}
		inv.BillEmail = &Email{Address: sendTo}
	}
	if inv.BillEmail == nil || inv.BillEmail.Address == "" {
		return nil, errRequired("BillEmail")
	}
	inv.EmailStatus = "EmailSent"
	inv.DeliveryInfo = &DeliveryInfo{DeliveryType: "Email", DeliveryTime: metaTime(co.now())}
	inv.SyncToken = bumpToken(inv.SyncToken)
	co.touch(inv.MetaData)
	return inv, nil
}

// recordPayment applies amount to an invoice as a new Payment.
func (co *company) recordPayment(invoiceID string, amount decimal.Decimal) (*Payment, *apiError) {
	inv := co.invoices[invoiceID]
	if inv == nil {
		return nil, errNotFound()
	}
	if !amount.IsPositive() || amount.GreaterThan(inv.Balance.dec()) {
		return nil, errBusiness(fmt.Sprintf("A payment of %s does not fit the open balance %s.", amount, inv.Balance.dec()))
	}
	p := &Payment{
		ID: co.newID(), SyncToken: "0", Domain: "QBO", MetaData: co.newMeta(), TxnDate: co.today(),
		CustomerRef: &Ref{Value: inv.CustomerRef.Value, Name: inv.CustomerRef.Name},
		CurrencyRef: inv.CurrencyRef, TotalAmt: num(amount), UnappliedAmt: N("0"),
		Line: []PaymentLine{{Amount: num(amount), LinkedTxn: []LinkedTxn{{TxnID: inv.ID, TxnType: "Invoice"}}}},
	}
	co.payments[p.ID] = p
	places := currencyPlaces(inv.CurrencyRef.Value)
	inv.Balance = num(inv.Balance.Sub(amount).Round(places))
	if inv.HomeBalance != nil {
		inv.HomeBalance = num(inv.Balance.Mul(inv.ExchangeRate.dec()).Round(2))
	}
	inv.LinkedTxn = append(inv.LinkedTxn, LinkedTxn{TxnID: p.ID, TxnType: "Payment"})
	inv.SyncToken = bumpToken(inv.SyncToken)
	co.touch(inv.MetaData)
	co.refreshBalance(inv.CustomerRef.Value)
	return p, nil
}
