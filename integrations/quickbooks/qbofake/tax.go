package qbofake

import (
	"github.com/shopspring/decimal"
)

// priceTax computes the invoice's tax the way QuickBooks documents it
// (api/quickbooks.md §6), fills TxnTaxDetail and returns the total tax.
// Line.Amount is always net; TaxInclusiveAmt, on TaxInclusive invoices, is
// the gross and changes no amount.
//
//   - US: one tax code for the whole transaction (TxnTaxCodeRef, else the
//     company's default), applied once to the lines marked TAX and rounded
//     per rate. ApplyTaxAfterDiscount false or absent taxes the amount
//     before the discount; true first takes off the discount's share of the
//     taxable lines.
//   - Elsewhere (TaxExcluded or TaxInclusive): the discount is pro-rated
//     through the item lines by amount (each share rounded, the last line
//     taking the remainder), then each line is taxed at its code's rates,
//     rounded per line, and the lines' taxes are summed per rate.
func (co *company) priceTax(inv *Invoice, subtotal, discount decimal.Decimal, places int32) (decimal.Decimal, *apiError) {
	if co.us() {
		base := decimal.Zero
		for _, l := range inv.Line {
			if d := l.SalesItemLineDetail; l.DetailType == "SalesItemLineDetail" && d != nil && d.TaxCodeRef != nil && d.TaxCodeRef.Value == "TAX" {
				base = base.Add(l.Amount.Decimal)
			}
		}
		if inv.ApplyTaxAfterDiscount && !subtotal.IsZero() {
			base = base.Sub(discount.Mul(base).Div(subtotal).Round(places))
		}
		return co.priceUSTax(inv, base, places)
	}
	switch inv.GlobalTaxCalculation {
	case "":
		return decimal.Zero, errRequired("GlobalTaxCalculation")
	case "NotApplicable":
		inv.TxnTaxDetail = &TxnTaxDetail{TotalTax: num(decimal.Zero)}
		return decimal.Zero, nil
	case "TaxExcluded", "TaxInclusive":
	default:
		return decimal.Zero, validation("2170", "Invalid Enumeration", "Invalid GlobalTaxCalculation: "+inv.GlobalTaxCalculation, "GlobalTaxCalculation")
	}
	var items []int
	for i, l := range inv.Line {
		if l.DetailType == "SalesItemLineDetail" {
			items = append(items, i)
		}
	}
	shares := make(map[int]decimal.Decimal, len(items))
	if !discount.IsZero() && !subtotal.IsZero() {
		given, last := decimal.Zero, -1
		for _, i := range items {
			if inv.Line[i].Amount.IsZero() {
				continue
			}
			shares[i] = discount.Mul(inv.Line[i].Amount.Decimal).Div(subtotal).Round(places)
			given, last = given.Add(shares[i]), i
		}
		if last >= 0 {
			shares[last] = shares[last].Add(discount.Sub(given))
		}
	}
	type rateTotal struct{ tax, base decimal.Decimal }
	perRate := map[string]*rateTotal{}
	total := decimal.Zero
	for _, i := range items {
		l := &inv.Line[i]
		tc := co.taxCodes[l.SalesItemLineDetail.TaxCodeRef.Value]
		base := l.Amount.Decimal.Sub(shares[i])
		lineTax := decimal.Zero
		for _, rd := range tc.SalesTaxRateList.TaxRateDetail {
			rate := co.taxRates[rd.TaxRateRef.Value]
			if rate == nil {
				continue
			}
			amt := base.Mul(rate.RateValue.Decimal).Div(hundred).Round(places)
			rt := perRate[rate.ID]
			if rt == nil {
				rt = &rateTotal{}
				perRate[rate.ID] = rt
			}
			rt.tax, rt.base = rt.tax.Add(amt), rt.base.Add(base)
			lineTax = lineTax.Add(amt)
		}
		total = total.Add(lineTax)
		if inv.GlobalTaxCalculation == "TaxInclusive" && l.SalesItemLineDetail.TaxInclusiveAmt == nil {
			l.SalesItemLineDetail.TaxInclusiveAmt = num(l.Amount.Add(lineTax))
		}
	}
	detail := &TxnTaxDetail{TotalTax: num(total)}
	for _, id := range sortedIDs(perRate) {
		rate := co.taxRates[id]
		detail.TaxLine = append(detail.TaxLine, TaxLine{
			Amount: num(perRate[id].tax), DetailType: "TaxLineDetail",
			TaxLineDetail: TaxLineDetail{TaxRateRef: Ref{Value: id}, PercentBased: true,
				TaxPercent: rate.RateValue, NetAmountTaxable: num(perRate[id].base)},
		})
	}
	inv.TxnTaxDetail = detail
	return total, nil
}

// priceUSTax applies the invoice's tax code (or the company default) to the
// amount of the lines marked TAX.
func (co *company) priceUSTax(inv *Invoice, base decimal.Decimal, places int32) (decimal.Decimal, *apiError) {
	var codeRef *Ref
	if inv.TxnTaxDetail != nil && inv.TxnTaxDetail.TxnTaxCodeRef != nil {
		codeRef = inv.TxnTaxDetail.TxnTaxCodeRef
	} else if co.taxGroup != "" {
		codeRef = &Ref{Value: co.taxGroup}
	}
	detail := &TxnTaxDetail{TotalTax: num(decimal.Zero)}
	inv.TxnTaxDetail = detail
	if !co.salesTax || codeRef == nil {
		return decimal.Zero, nil
	}
	tc := co.taxCodes[codeRef.Value]
	if tc == nil {
		return decimal.Zero, errInvalidRef("TxnTaxCodeRef", codeRef.Value)
	}
	detail.TxnTaxCodeRef = &Ref{Value: tc.ID}
	if base.IsZero() {
		return decimal.Zero, nil
	}
	lines, total := co.taxLines(tc, base, places)
	detail.TaxLine, detail.TotalTax = lines, num(total)
	return total, nil
}

// taxLines applies each sales rate of a code to base.
func (co *company) taxLines(tc *TaxCode, base decimal.Decimal, places int32) ([]TaxLine, decimal.Decimal) {
	var lines []TaxLine
	total := decimal.Zero
	for _, rd := range tc.SalesTaxRateList.TaxRateDetail {
		rate := co.taxRates[rd.TaxRateRef.Value]
		if rate == nil {
			continue
		}
		amt := base.Mul(rate.RateValue.Decimal).Div(hundred).Round(places)
		lines = append(lines, TaxLine{
			Amount:     num(amt),
			DetailType: "TaxLineDetail",
			TaxLineDetail: TaxLineDetail{
				TaxRateRef: Ref{Value: rate.ID}, PercentBased: true,
				TaxPercent: rate.RateValue, NetAmountTaxable: num(base.Round(places)),
			},
		})
		total = total.Add(amt)
	}
	return lines, total
}
