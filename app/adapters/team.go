package adapters

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"dealbooks/app/invoicing"
	"dealbooks/integrations/pipedrive"
)

// This file holds the rest of what a team shares through Pipedrive (see also the team part of
// pipedrive.go): reading a note to rewrite it, and the deal fields that show the deal's invoices.

// Note reads the note (2 tokens).
func (p *Pipedrive) Note(ctx context.Context, noteID int64) (invoicing.DealNote, error) {
	n, err := p.client.Note(ctx, noteID)
	if err != nil {
		return invoicing.DealNote{}, p.fail(fmt.Sprintf("read note %d", noteID), err)
	}
	return invoicing.DealNote{ID: n.ID, HTML: n.Content}, nil
}

// AddDealStatusFields finds the deal fields "Invoice status" and "Invoiced amount" by name, adding a
// text and a monetary field for those missing (10 tokens each, besides reading the definitions afresh).
func (p *Pipedrive) AddDealStatusFields(ctx context.Context) (invoicing.DealStatusFields, error) {
	var f invoicing.DealStatusFields
	var err error
	if f.Status, err = p.teamField(ctx, invoicing.EntityDeal, invoicing.InvoiceStatusField, "varchar", true); err != nil {
		return invoicing.DealStatusFields{}, err
	}
	if f.Amount, err = p.teamField(ctx, invoicing.EntityDeal, invoicing.InvoicedAmountField, "monetary", true); err != nil {
		return invoicing.DealStatusFields{}, err
	}
	return f, nil
}

// SetDealStatusFields reads the deal (1 token) and writes the fields whose value differs from sum, all in
// one PATCH (5 tokens); when none differs nothing is written. The status goes into a text field as its
// word; the amount into a monetary field as {"value", "currency"}, or into a numeric field as the number.
// Definitions kept from before a teammate added the fields are read afresh once.
func (p *Pipedrive) SetDealStatusFields(ctx context.Context, dealID int64, f invoicing.DealStatusFields, sum invoicing.DealInvoiceSummary) (bool, error) {
	defs, err := p.fieldDefs(ctx)
	if err != nil {
		return false, err
	}
	if !hasCodes(defs.deal, f) {
		if defs, err = p.loadFields(ctx); err != nil {
			return false, err
		}
	}
	deal, err := p.client.Deal(ctx, dealID)
	if err != nil {
		return false, p.fail(fmt.Sprintf("read deal %d", dealID), err)
	}
	values := map[string]any{}
	for _, w := range []struct {
		code  string
		types []string
		value func(pipedrive.Field) any
		same  func(pipedrive.FieldValue) bool
	}{
		{f.Status, invoicing.StatusFieldTypes,
			func(pipedrive.Field) any { return sum.Status },
			func(v pipedrive.FieldValue) bool { return v.Text == sum.Status }},
		{f.Amount, invoicing.AmountFieldTypes,
			func(def pipedrive.Field) any {
				n := json.Number(sum.Amount.Amount.String())
				if def.Type == "monetary" {
					return map[string]any{"value": n, "currency": sum.Amount.Currency}
				}
				return n
			},
			func(v pipedrive.FieldValue) bool {
				return v.Number.Equal(sum.Amount.Amount) && (v.Kind != pipedrive.KindMonetary || v.Currency == sum.Amount.Currency)
			}},
	} {
		if w.code == "" {
			continue
		}
		def, ok := defs.deal[w.code]
		if !ok || !slices.Contains(w.types, def.Type) {
			return false, fmt.Errorf("pipedrive: deal field %s: %w", w.code, invoicing.ErrNotFound)
		}
		if cur, set, err := defs.deal.Resolve(deal.CustomFields, w.code); err == nil && set && w.same(cur) {
			continue
		}
		values[w.code] = w.value(def)
	}
	if len(values) == 0 {
		return false, nil
	}
	if err := p.client.UpdateDealFields(ctx, dealID, values); err != nil {
		return false, p.fail(fmt.Sprintf("write the invoice fields of deal %d", dealID), err)
	}
	return true, nil
}

// hasCodes reports whether the definitions know every field chosen.
func hasCodes(deal pipedrive.Fields, f invoicing.DealStatusFields) bool {
	for _, code := range []string{f.Status, f.Amount} {
		if _, ok := deal[code]; code != "" && !ok {
			return false
		}
	}
	return true
}
