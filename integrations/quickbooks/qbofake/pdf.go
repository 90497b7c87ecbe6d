package qbofake

import (
	"bytes"
	"fmt"
	"strings"
)

// invoicePDF renders an invoice as a small, valid one-page PDF (PDF 1.4,
// Helvetica, no compression): number, customer, dates, lines and totals.
func invoicePDF(company string, inv *Invoice) []byte {
	cur := inv.CurrencyRef.Value
	text := []string{company, "", "INVOICE " + inv.DocNumber}
	if strings.HasPrefix(inv.PrivateNote, "Voided") {
		text = append(text, "VOIDED")
	}
	text = append(text,
		"Bill to: "+inv.CustomerRef.Name,
		"Date: "+inv.TxnDate+"    Due: "+inv.DueDate,
		"",
	)
	for _, l := range inv.Line {
		switch {
		case l.SalesItemLineDetail != nil:
			d := l.SalesItemLineDetail
			desc := l.Description
			if desc == "" && d.ItemRef != nil {
				desc = d.ItemRef.Name
			}
			qty := ""
			if d.Qty != nil && d.UnitPrice != nil {
				qty = fmt.Sprintf("  %s x %s", d.Qty.String(), d.UnitPrice.StringFixed(2))
			}
			text = append(text, fmt.Sprintf("%s%s  =  %s %s", desc, qty, l.Amount.dec().StringFixed(2), cur))
		case l.DiscountLineDetail != nil:
			text = append(text, fmt.Sprintf("Discount  -%s %s", l.Amount.dec().StringFixed(2), cur))
		case l.SubTotalLineDetail != nil:
			text = append(text, "", fmt.Sprintf("Subtotal: %s %s", l.Amount.dec().StringFixed(2), cur))
		}
	}
	if inv.TxnTaxDetail != nil {
		text = append(text, fmt.Sprintf("Tax: %s %s", inv.TxnTaxDetail.TotalTax.dec().StringFixed(2), cur))
	}
	text = append(text,
		fmt.Sprintf("Total: %s %s", inv.TotalAmt.dec().StringFixed(2), cur),
		fmt.Sprintf("Balance due: %s %s", inv.Balance.dec().StringFixed(2), cur),
	)

	var content bytes.Buffer
	content.WriteString("BT /F1 11 Tf 14 TL 56 790 Td\n")
	for i, line := range text {
		if i == 60 {
			break // one page
		}
		fmt.Fprintf(&content, "(%s) Tj T*\n", pdfString(line))
	}
	content.WriteString("ET\n")

	objects := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%sendstream", content.Len(), content.String()),
	}
	var out bytes.Buffer
	out.WriteString("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
	offsets := make([]int, len(objects))
	for i, obj := range objects {
		offsets[i] = out.Len()
		fmt.Fprintf(&out, "%d 0 obj\n%s\nendobj\n", i+1, obj)
	}
	xref := out.Len()
	fmt.Fprintf(&out, "xref\n0 %d\n0000000000 65535 f \n", len(objects)+1)
	for _, off := range offsets {
		fmt.Fprintf(&out, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&out, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objects)+1, xref)
	return out.Bytes()
}

// pdfString escapes text for a PDF literal string; characters outside
// printable ASCII become '?'.
func pdfString(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '(' || r == ')' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < 32 || r > 126:
			b.WriteByte('?')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
