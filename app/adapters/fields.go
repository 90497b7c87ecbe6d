package adapters

import (
	"context"
	"fmt"
	"strconv"

	"github.com/shopspring/decimal"
	"golang.org/x/sync/errgroup"

	"dealbooks/app/invoicing"
	"dealbooks/integrations/pipedrive"
)

// Codes of the Pipedrive built-in fields the adapter fills besides the
// standard invoicing ones (FieldName, FieldAddress, FieldEmail, FieldTitle).
const (
	codeValue     = "value"
	codeCloseDate = "expected_close_date"
	codeWebsite   = "website"
	codePhone     = "phone"
	codeJobTitle  = "job_title"
)

// builtinCodes maps the codes of the Pipedrive built-in fields the adapter
// fills to the codes it files their values under. Other built-in fields
// are not offered: the adapter would leave them empty.
var builtinCodes = map[invoicing.Entity]map[string]string{
	invoicing.EntityDeal: {
		"title": invoicing.FieldTitle, "value": codeValue, "expected_close_date": codeCloseDate,
	},
	invoicing.EntityOrganization: {
		"name": invoicing.FieldName, "address": invoicing.FieldAddress, "website": codeWebsite,
	},
	invoicing.EntityPerson: {
		"name": invoicing.FieldName, "emails": invoicing.FieldEmail, "phones": codePhone,
		"postal_address": invoicing.FieldAddress, "job_title": codeJobTitle,
	},
}

func dealBuiltins(d pipedrive.Deal) map[string]string {
	return map[string]string{
		invoicing.FieldTitle: d.Title,
		codeValue:            money(d.Value, d.Currency),
		codeCloseDate:        d.ExpectedCloseDate.String(),
	}
}

func orgBuiltins(o pipedrive.Organization) map[string]string {
	return map[string]string{
		invoicing.FieldName:    o.Name,
		invoicing.FieldAddress: o.Address.String(),
		codeWebsite:            o.Website,
	}
}

func personBuiltins(p pipedrive.Person) map[string]string {
	return map[string]string{
		invoicing.FieldName:    p.Name,
		invoicing.FieldEmail:   p.PrimaryEmail(),
		codePhone:              p.PrimaryPhone(),
		invoicing.FieldAddress: p.PostalAddress.String(),
		codeJobTitle:           p.JobTitle,
	}
}

// money is an amount as "value currency", the way Pipedrive's monetary
// custom fields read.
func money(v decimal.Decimal, currency string) string {
	return v.String() + " " + currency
}

// discount maps a Pipedrive discount (line or deal-level).
func discount(description, kind string, value decimal.Decimal) invoicing.Discount {
	d := invoicing.Discount{Description: description, Type: invoicing.DiscountPercentage, Value: value}
	if kind == pipedrive.DiscountAmount {
		d.Type = invoicing.DiscountAmount
	}
	return d
}

// fieldDefs are the field definitions of deals, organizations and persons.
type fieldDefs struct {
	deal, org, person pipedrive.Fields
	// list is what Fields returns: the filled built-in fields and every custom field.
	list []invoicing.Field
}

// fieldDefs returns the field definitions, reading them the first time: from the reference cache
// while it holds them fresh, else from Pipedrive.
func (p *Pipedrive) fieldDefs(ctx context.Context) (*fieldDefs, error) {
	p.mu.Lock()
	defs, refs := p.defs, p.refs
	p.mu.Unlock()
	if defs != nil {
		return defs, nil
	}
	if refs == nil {
		return p.loadFields(ctx)
	}
	raw, err := cached(ctx, refs, KindPipedriveFields, p.readFields)
	if err != nil {
		return nil, err
	}
	return p.keepFields(raw), nil
}

// loadFields reads the field definitions afresh and keeps them, in the reference cache too.
func (p *Pipedrive) loadFields(ctx context.Context) (*fieldDefs, error) {
	raw, err := p.readFields(ctx)
	if err != nil {
		return nil, err
	}
	p.mu.Lock()
	refs := p.refs
	p.mu.Unlock()
	if refs != nil {
		refs.save(ctx, KindPipedriveFields, raw)
	}
	return p.keepFields(raw), nil
}

// readFields reads the three lists of field definitions at once.
func (p *Pipedrive) readFields(ctx context.Context) (rawFields, error) {
	var raw rawFields
	g, gctx := errgroup.WithContext(ctx)
	for _, l := range []struct {
		what string
		into *[]pipedrive.Field
		read func(context.Context) ([]pipedrive.Field, error)
	}{
		{"deal", &raw.Deal, p.client.DealFields},
		{"organization", &raw.Organization, p.client.OrganizationFields},
		{"person", &raw.Person, p.client.PersonFields},
	} {
		g.Go(func() (err error) {
			if *l.into, err = l.read(gctx); err != nil {
				return p.fail(fmt.Sprintf("read %s fields", l.what), err)
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return rawFields{}, err
	}
	return raw, nil
}

// keepFields indexes the definitions and keeps them for the adapter's later calls.
func (p *Pipedrive) keepFields(raw rawFields) *fieldDefs {
	defs := &fieldDefs{deal: pipedrive.NewFields(raw.Deal), org: pipedrive.NewFields(raw.Organization),
		person: pipedrive.NewFields(raw.Person)}
	defs.list = append(defs.list, fieldList(invoicing.EntityDeal, raw.Deal)...)
	defs.list = append(defs.list, fieldList(invoicing.EntityOrganization, raw.Organization)...)
	defs.list = append(defs.list, fieldList(invoicing.EntityPerson, raw.Person)...)
	p.mu.Lock()
	p.defs = defs
	p.mu.Unlock()
	return defs
}

// fieldList maps the definitions of one entity, in Pipedrive's order.
func fieldList(e invoicing.Entity, defs []pipedrive.Field) []invoicing.Field {
	var out []invoicing.Field
	for _, f := range defs {
		code := f.Code
		if !f.IsCustom {
			if code = builtinCodes[e][f.Code]; code == "" {
				continue
			}
		}
		out = append(out, invoicing.Field{Entity: e, Code: code, Name: f.Name, Type: f.Type, Custom: f.IsCustom})
	}
	return out
}

// Fields reads the field definitions afresh (the rep may just have added
// a custom field) and returns those the adapter fills.
func (p *Pipedrive) Fields(ctx context.Context) ([]invoicing.Field, error) {
	defs, err := p.loadFields(ctx)
	if err != nil {
		return nil, err
	}
	return append([]invoicing.Field(nil), defs.list...), nil
}

// texts returns the built-in values and the custom field values as text by
// field code, leaving out empty ones. Custom values are resolved against
// their definitions: addresses formatted, options as labels, monetary as
// "value currency". A value that does not match its definition is kept as
// its raw text, as Resolve returns it. A reference to an organization or
// person is its name when the adapter knows it.
func (p *Pipedrive) texts(defs pipedrive.Fields, builtins map[string]string, cf pipedrive.CustomFields) map[string]string {
	out := map[string]string{}
	for code, v := range builtins {
		if v != "" {
			out[code] = v
		}
	}
	for code := range cf {
		v, ok, _ := defs.Resolve(cf, code)
		if !ok {
			continue
		}
		text := v.Text
		if ref, isRef := refKey(v); isRef && text == strconv.FormatInt(v.RefID, 10) {
			if name := p.name(ref); name != "" {
				text = name
			}
		}
		if text != "" {
			out[code] = text
		}
	}
	return out
}

// refKey is the party a person or organization field value points at.
func refKey(v pipedrive.FieldValue) (partyKey, bool) {
	switch v.Kind {
	case pipedrive.KindPerson:
		return partyKey{invoicing.EntityPerson, v.RefID}, true
	case pipedrive.KindOrganization:
		return partyKey{invoicing.EntityOrganization, v.RefID}, true
	}
	return partyKey{}, false
}
