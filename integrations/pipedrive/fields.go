package pipedrive

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"
)

// Field is a field definition from /api/v2/dealFields, /organizationFields or /personFields.
type Field struct {
	Code        string        `json:"field_code"` // 40-character hash for custom fields
	Name        string        `json:"field_name"`
	Type        string        `json:"field_type"` // varchar, double, monetary, enum, set, address, people, org, …
	Description string        `json:"description"`
	IsCustom    bool          `json:"is_custom_field"`
	Options     []FieldOption `json:"options"`
	Subfields   []Subfield    `json:"subfields"`
}

// FieldOption is one choice of an enum or set field. Custom fields have numeric ids, built-in ones text ids;
// both are kept as text.
type FieldOption struct {
	ID    string
	Label string
}

// UnmarshalJSON accepts {"id": 12 | "12", "label": "…"}.
func (o *FieldOption) UnmarshalJSON(b []byte) error {
	var w struct {
		ID    json.RawMessage `json:"id"`
		Label string          `json:"label"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return fmt.Errorf("pipedrive: field option: %w", err)
	}
	*o = FieldOption{ID: rawCode(w.ID), Label: w.Label}
	return nil
}

// Subfield is a part of a composite field (monetary amount and currency, address parts).
type Subfield struct {
	Code string `json:"field_code"`
	Name string `json:"field_name"`
	Type string `json:"field_type"`
}

// DealFields fetches every deal field definition.
func (c *Client) DealFields(ctx context.Context) ([]Field, error) { return c.fields(ctx, "dealFields") }

// OrganizationFields fetches every organization field definition.
func (c *Client) OrganizationFields(ctx context.Context) ([]Field, error) {
	return c.fields(ctx, "organizationFields")
}

// PersonFields fetches every person field definition.
func (c *Client) PersonFields(ctx context.Context) ([]Field, error) {
	return c.fields(ctx, "personFields")
}

func (c *Client) fields(ctx context.Context, name string) ([]Field, error) {
	v := url.Values{"limit": {strconv.Itoa(MaxPageSize)}}
	return listAll[Field](ctx, c, request{method: http.MethodGet, path: "/api/v2/" + name, query: v})
}

// Fields indexes field definitions by code, to resolve custom field values.
type Fields map[string]Field

// NewFields indexes defs by code.
func NewFields(defs []Field) Fields {
	fs := make(Fields, len(defs))
	for _, f := range defs {
		fs[f.Code] = f
	}
	return fs
}

// ByName finds a field by its name, ignoring case.
func (fs Fields) ByName(name string) (Field, bool) {
	for _, f := range fs {
		if strings.EqualFold(f.Name, name) {
			return f, true
		}
	}
	return Field{}, false
}

// ValueKind says which members of a FieldValue hold the value.
type ValueKind int

// Kinds of resolved custom field values.
const (
	KindText         ValueKind = iota // Text only (varchar, text, phone, and types with no better form)
	KindNumber                        // Number
	KindMonetary                      // Number and Currency
	KindOption                        // Options (one); enum
	KindOptions                       // Options (any number); set
	KindAddress                       // Address
	KindPerson                        // RefID is a person id
	KindOrganization                  // RefID is an organization id
	KindUser                          // RefID is a user id
	KindDate                          // Date
)

// FieldValue is a custom field value resolved against its definition: Text is always what a person would
// read; the member named by Kind is what the app can compute with.
type FieldValue struct {
	Field    Field
	Kind     ValueKind
	Text     string
	Number   decimal.Decimal
	Currency string
	Options  []FieldOption
	Address  Address
	RefID    int64
	Date     Date
}

// Resolve decodes the raw value of the field with the given code. ok is false when the value is null or
// absent. A field with no definition is read as text.
func (fs Fields) Resolve(cf CustomFields, code string) (v FieldValue, ok bool, err error) {
	raw := bytes.TrimSpace(cf[code])
	if len(raw) == 0 || string(raw) == "null" {
		return FieldValue{}, false, nil
	}
	f, known := fs[code]
	if !known {
		f = Field{Code: code, Name: code}
	}
	v, err = resolve(f, raw)
	if err != nil {
		return FieldValue{Field: f, Kind: KindText, Text: string(raw)}, true,
			fmt.Errorf("pipedrive: custom field %q (%s): %w", f.Name, f.Type, err)
	}
	return v, true, nil
}

// ResolveAll resolves every non-null value in cf, sorted by field name. Values that do not match their
// definition are kept as raw text and reported in the joined error.
func (fs Fields) ResolveAll(cf CustomFields) ([]FieldValue, error) {
	var out []FieldValue
	var errs []error
	for code := range cf {
		v, ok, err := fs.Resolve(cf, code)
		if err != nil {
			errs = append(errs, err)
		}
		if ok {
			out = append(out, v)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Field.Name != out[j].Field.Name {
			return out[i].Field.Name < out[j].Field.Name
		}
		return out[i].Field.Code < out[j].Field.Code
	})
	return out, errors.Join(errs...)
}

func resolve(f Field, raw json.RawMessage) (FieldValue, error) {
	v := FieldValue{Field: f}
	switch f.Type {
	case "double", "int":
		v.Kind = KindNumber
		if err := json.Unmarshal(raw, &v.Number); err != nil {
			return v, err
		}
		v.Text = v.Number.String()
	case "monetary":
		v.Kind = KindMonetary
		if err := decodeMoney(raw, &v); err != nil {
			return v, err
		}
		v.Text = strings.TrimSpace(v.Number.String() + " " + v.Currency)
	case "enum", "set":
		v.Kind = KindOptions
		if f.Type == "enum" {
			v.Kind = KindOption
		}
		ids, err := optionRefs(raw)
		if err != nil {
			return v, err
		}
		labels := make([]string, 0, len(ids))
		for _, o := range ids {
			if o.Label == "" {
				o.Label = f.optionLabel(o.ID)
			}
			v.Options = append(v.Options, o)
			labels = append(labels, o.Label)
		}
		v.Text = strings.Join(labels, ", ")
	case "address":
		v.Kind = KindAddress
		if err := json.Unmarshal(raw, &v.Address); err != nil {
			return v, err
		}
		v.Text = v.Address.String()
	case "people", "org", "user":
		v.Kind = map[string]ValueKind{"people": KindPerson, "org": KindOrganization, "user": KindUser}[f.Type]
		id, name, err := entityRef(raw)
		if err != nil {
			return v, err
		}
		v.RefID, v.Text = id, name
		if v.Text == "" {
			v.Text = strconv.FormatInt(id, 10)
		}
	case "date":
		v.Kind = KindDate
		if err := json.Unmarshal(raw, &v.Date); err != nil {
			return v, err
		}
		v.Text = v.Date.String()
	default:
		v.Kind = KindText
		v.Text = plainText(raw)
	}
	return v, nil
}

// optionLabel is the label of the option with the given id, or the id itself when unknown.
func (f Field) optionLabel(id string) string {
	for _, o := range f.Options {
		if o.ID == id {
			return o.Label
		}
	}
	return id
}

// decodeMoney reads {"value":…, "currency":…} or a bare amount.
func decodeMoney(raw json.RawMessage, v *FieldValue) error {
	if raw[0] != '{' {
		return json.Unmarshal(raw, &v.Number)
	}
	var m struct {
		Value    decimal.Decimal `json:"value"`
		Currency string          `json:"currency"`
	}
	if err := json.Unmarshal(raw, &m); err != nil {
		return err
	}
	v.Number, v.Currency = m.Value, m.Currency
	return nil
}

// optionRefs reads an option id (123 or "123"), an {id,label} object (include_option_labels), an array of
// either, or v1's comma-separated "123,456".
func optionRefs(raw json.RawMessage) ([]FieldOption, error) {
	switch raw[0] {
	case '[':
		var items []json.RawMessage
		if err := json.Unmarshal(raw, &items); err != nil {
			return nil, err
		}
		var out []FieldOption
		for _, it := range items {
			o, err := optionRefs(bytes.TrimSpace(it))
			if err != nil {
				return nil, err
			}
			out = append(out, o...)
		}
		return out, nil
	case '{':
		var o FieldOption
		err := json.Unmarshal(raw, &o)
		return []FieldOption{o}, err
	case '"':
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return nil, err
		}
		var out []FieldOption
		for id := range strings.SplitSeq(s, ",") {
			if id = strings.TrimSpace(id); id != "" {
				out = append(out, FieldOption{ID: id})
			}
		}
		return out, nil
	}
	id := rawCode(raw)
	if id == "" {
		return nil, fmt.Errorf("option id %s is neither number nor text", raw)
	}
	return []FieldOption{{ID: id}}, nil
}

// entityRef reads a person/org/user reference: an id, or v1's {"value": id, "name": …}.
func entityRef(raw json.RawMessage) (int64, string, error) {
	if raw[0] == '{' {
		var r struct {
			Value int64  `json:"value"`
			ID    int64  `json:"id"`
			Name  string `json:"name"`
		}
		if err := json.Unmarshal(raw, &r); err != nil {
			return 0, "", err
		}
		return max(r.Value, r.ID), r.Name, nil
	}
	var id int64
	err := json.Unmarshal(raw, &id)
	return id, "", err
}

// plainText renders a value of a type without a better form: strings as they are, ranges and times as
// "from – until", anything else as compact JSON.
func plainText(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var r struct {
		Value json.RawMessage `json:"value"`
		Until json.RawMessage `json:"until"`
	}
	if raw[0] == '{' && json.Unmarshal(raw, &r) == nil && len(r.Value) > 0 {
		text := plainText(r.Value)
		if len(r.Until) > 0 && string(r.Until) != "null" {
			text += " – " + plainText(r.Until)
		}
		return text
	}
	var buf bytes.Buffer
	if json.Compact(&buf, raw) != nil {
		return string(raw)
	}
	return buf.String()
}

// NameReferences replaces the Text of person and organization values that only hold an id with the
// entity's name, fetching each one once. A reference that can no longer be read keeps its id as Text.
func (c *Client) NameReferences(ctx context.Context, values []FieldValue) error {
	names := map[[2]int64]string{}
	for i := range values {
		v := &values[i]
		if (v.Kind != KindPerson && v.Kind != KindOrganization) || v.Text != strconv.FormatInt(v.RefID, 10) {
			continue
		}
		key := [2]int64{int64(v.Kind), v.RefID}
		name, seen := names[key]
		if !seen {
			var err error
			name, err = c.refName(ctx, v.Kind, v.RefID)
			if err != nil && !errors.Is(err, ErrNotFound) && !errors.Is(err, ErrForbidden) {
				return err
			}
			names[key] = name
		}
		if name != "" {
			v.Text = name
		}
	}
	return nil
}

func (c *Client) refName(ctx context.Context, kind ValueKind, id int64) (string, error) {
	if kind == KindPerson {
		p, err := c.Person(ctx, id)
		return p.Name, err
	}
	o, err := c.Organization(ctx, id)
	return o.Name, err
}
