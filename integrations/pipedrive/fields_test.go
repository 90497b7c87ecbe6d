package pipedrive

import (
	"encoding/json"
	"testing"
	"time"

	"dealbooks/internal/testkit"
)

const docsHash = "d4de1c1518b4531717c676029a45911c340390a6"

// shapeSample reads one type's v1 and v2 snippets from docs-custom-field-shapes-v1-vs-v2.json.
func shapeSample(t *testing.T) map[string]struct {
	V1 CustomFields `json:"v1"`
	V2 struct {
		CustomFields CustomFields `json:"custom_fields"`
	} `json:"v2"`
} {
	t.Helper()
	var shapes map[string]struct {
		V1 CustomFields `json:"v1"`
		V2 struct {
			CustomFields CustomFields `json:"custom_fields"`
		} `json:"v2"`
	}
	raw := testkit.ReadFile(t, "docs-custom-field-shapes-v1-vs-v2.json")
	var withNote map[string]json.RawMessage
	if err := json.Unmarshal(raw, &withNote); err != nil {
		t.Fatal(err)
	}
	delete(withNote, "_note")
	b, _ := json.Marshal(withNote)
	if err := json.Unmarshal(b, &shapes); err != nil {
		t.Fatal(err)
	}
	return shapes
}

func TestResolveDocumentedShapes(t *testing.T) {
	shapes := shapeSample(t)
	options := []FieldOption{{"123", "Gold"}, {"456", "Silver"}}
	tests := []struct {
		shape, fieldType string
		kind             ValueKind
		text             string
		check            func(t *testing.T, v FieldValue)
	}{
		{"text", "varchar", KindText, "my text value", nil},
		{"numeric", "double", KindNumber, "500", func(t *testing.T, v FieldValue) { eqDec(t, "number", v.Number, "500") }},
		{"monetary", "monetary", KindMonetary, "500 USD", func(t *testing.T, v FieldValue) {
			eqDec(t, "amount", v.Number, "500")
			testkit.Eq(t, "currency", v.Currency, "USD")
		}},
		{"single_option_enum", "enum", KindOption, "Gold", func(t *testing.T, v FieldValue) {
			testkit.Eq(t, "option", v.Options[0], FieldOption{"123", "Gold"})
		}},
		{"multiple_options_set", "set", KindOptions, "Gold, Silver", func(t *testing.T, v FieldValue) {
			testkit.Eq(t, "options", len(v.Options), 2)
		}},
		{"user_person_org", "people", KindPerson, "1234", func(t *testing.T, v FieldValue) { testkit.Eq(t, "ref", v.RefID, 1234) }},
		{"date", "date", KindDate, "2024-01-01", func(t *testing.T, v FieldValue) {
			testkit.Eq(t, "date", v.Date, Date{2024, time.January, 1})
		}},
		{"daterange", "daterange", KindText, "2024-01-01 – 2024-02-01", nil},
		{"time", "time", KindText, "09:00:00", nil},
		{"timerange", "timerange", KindText, "09:00:00 – 11:00:00", nil},
		{"address", "address", KindAddress, "530 5th Ave, New York, NY 10036, USA", func(t *testing.T, v FieldValue) {
			testkit.Eq(t, "street", v.Address.Street(), "530 5th Avenue")
			testkit.Eq(t, "postal code", v.Address.PostalCode, "10036")
			testkit.Eq(t, "typed", v.Address.Value, "530 Fifth Avenue, New York, NY, USA")
		}},
	}
	for _, tt := range tests {
		t.Run(tt.shape, func(t *testing.T) {
			fs := NewFields([]Field{{Code: docsHash, Name: tt.shape, Type: tt.fieldType, IsCustom: true, Options: options}})
			v, ok, err := fs.Resolve(shapes[tt.shape].V2.CustomFields, docsHash)
			if err != nil || !ok {
				t.Fatalf("Resolve: ok=%v err=%v", ok, err)
			}
			testkit.Eq(t, "kind", v.Kind, tt.kind)
			testkit.Eq(t, "text", v.Text, tt.text)
			if tt.check != nil {
				tt.check(t, v)
			}
		})
	}
}

// v1 sent enum ids as "123" and sets as "123,456"; those still resolve to labels.
func TestResolveV1OptionStrings(t *testing.T) {
	shapes := shapeSample(t)
	fs := NewFields([]Field{{Code: docsHash, Name: "Tier", Type: "set", Options: []FieldOption{{"123", "Gold"}, {"456", "Silver"}}}})
	v, _, err := fs.Resolve(shapes["multiple_options_set"].V1, docsHash)
	testkit.Eq(t, "err", err, nil)
	testkit.Eq(t, "set text", v.Text, "Gold, Silver")
	v, _, err = fs.Resolve(shapes["single_option_enum"].V1, docsHash)
	testkit.Eq(t, "err", err, nil)
	testkit.Eq(t, "enum text", v.Text, "Gold")
}

func TestResolveTutorialV1TopLevel(t *testing.T) {
	var d CustomFields
	decodeSample(t, "docs-v1-deal-custom-fields-top-level.tutorial.json", &d)
	fs := NewFields([]Field{{Code: "dcf558aac1ae4e8c4f849ba5e668430d8df9be12", Name: "Villain", Type: "varchar"}})
	v, ok, err := fs.Resolve(d, "dcf558aac1ae4e8c4f849ba5e668430d8df9be12")
	testkit.Eq(t, "ok", ok, true)
	testkit.Eq(t, "err", err, nil)
	testkit.Eq(t, "text", v.Text, "Joker")
	_, ok, _ = fs.Resolve(d, "d9841077efc3a2c43b371b72cd1d0d682dddf968")
	testkit.Eq(t, "null value present", ok, false)
}

func TestResolveEdgeCases(t *testing.T) {
	opts := []FieldOption{{"7", "High"}, {"8", "Low"}}
	tests := []struct {
		name, fieldType, raw string
		kind                 ValueKind
		text                 string
		wantErr              bool
	}{
		{"option with label", "enum", `{"id":7,"label":"High"}`, KindOption, "High", false},
		{"set with labels", "set", `[{"id":7,"label":"High"},{"id":8,"label":"Low"}]`, KindOptions, "High, Low", false},
		{"unknown option keeps id", "enum", `99`, KindOption, "99", false},
		{"exact decimal", "double", `0.1000000000000000055511151231257827`, KindNumber, "0.1000000000000000055511151231257827", false},
		{"money without currency", "monetary", `12.5`, KindMonetary, "12.5", false},
		{"money null amount", "monetary", `{"value":null,"currency":"EUR"}`, KindMonetary, "0 EUR", false},
		{"one-line address", "address", `{"value":"Keizersgracht 1, Amsterdam"}`, KindAddress, "Keizersgracht 1, Amsterdam", false},
		{"address as string", "address", `"Main St 1"`, KindAddress, "Main St 1", false},
		{"org reference v1 object", "org", `{"value":5,"name":"Acme"}`, KindOrganization, "Acme", false},
		{"user reference", "user", `17`, KindUser, "17", false},
		{"number is not text", "double", `"abc"`, KindText, `"abc"`, true},
		{"unknown type", "json", `{"a":[1, 2]}`, KindText, `{"a":[1,2]}`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := NewFields([]Field{{Code: "k", Name: "F", Type: tt.fieldType, Options: opts}})
			v, ok, err := fs.Resolve(CustomFields{"k": json.RawMessage(tt.raw)}, "k")
			testkit.Eq(t, "ok", ok, true)
			testkit.Eq(t, "error", err != nil, tt.wantErr)
			testkit.Eq(t, "kind", v.Kind, tt.kind)
			testkit.Eq(t, "text", v.Text, tt.text)
		})
	}
}

func TestResolveAllSortsAndSkipsNull(t *testing.T) {
	fs := NewFields([]Field{
		{Code: "b", Name: "Beta", Type: "varchar"},
		{Code: "a", Name: "Alpha", Type: "double"},
	})
	cf := CustomFields{"b": json.RawMessage(`"x"`), "a": json.RawMessage(`3`), "c": json.RawMessage(`null`),
		"z": json.RawMessage(`"no definition"`)}
	vs, err := fs.ResolveAll(cf)
	testkit.Eq(t, "err", err, nil)
	var names []string
	for _, v := range vs {
		names = append(names, v.Field.Name+"="+v.Text)
	}
	testkit.Eq(t, "values", len(names), 3)
	testkit.Eq(t, "order", names[0]+","+names[1]+","+names[2], "Alpha=3,Beta=x,z=no definition")
}
