package pipedrive

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"dealbooks/integrations/internal/fuzzseed"
)

// addSamples seeds a fuzz target with every sample whose name has the given prefix, cut into small parts
// (fuzzseed.Split) so that the fuzzer's minimizer does not stall a short run on a long sample.
func addSamples(f *testing.F, prefixes ...string) {
	seeds, err := fuzzseed.Samples(prefixes...)
	if err != nil {
		f.Fatal(err)
	}
	for _, b := range seeds {
		f.Add(b)
	}
}

// FuzzDecodeEnvelope feeds any body to the success decoder with every data type the client reads.
func FuzzDecodeEnvelope(f *testing.F) {
	addSamples(f, "v1-", "v2-", "docs-")
	f.Fuzz(func(t *testing.T, body []byte) {
		targets := []any{
			new([]Deal), new(Deal), new(searchData), new([]DealProduct), new([]DealDiscount), new([]Installment),
			new(Organization), new(Person), new(Product), new([]Field), new(User), new([]Currency), new(Note),
		}
		for _, out := range targets {
			env, err := decodeEnvelope(body, out)
			if err == nil && !env.Success {
				t.Fatal("decoded an envelope without success:true")
			}
		}
	})
}

// FuzzDecodeError checks that any error body gives an error with a message and the right sentinel.
func FuzzDecodeError(f *testing.F) {
	addSamples(f, "v1-error", "v2-error", "docs-error", "v1-users-me-401", "oauth-error")
	f.Add([]byte("<html>Cloudflare 1015</html>"))
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, status := range []int{http.StatusUnauthorized, http.StatusForbidden, http.StatusTooManyRequests, 500} {
			e := decodeError(status, body)
			if e.Message == "" {
				t.Fatalf("empty message for %q", body)
			}
			if !e.Is(sentinelFor(status)) {
				t.Fatalf("status %d does not match its sentinel", status)
			}
			_ = e.Error()
		}
	})
}

// FuzzResolveCustomField resolves any raw value against every field type.
func FuzzResolveCustomField(f *testing.F) {
	raw, err := os.ReadFile(filepath.Join("testdata", "docs-custom-field-shapes-v1-vs-v2.json"))
	if err != nil {
		f.Fatal(err)
	}
	var shapes map[string]struct {
		V1 map[string]json.RawMessage `json:"v1"`
		V2 struct {
			CustomFields map[string]json.RawMessage `json:"custom_fields"`
		} `json:"v2"`
	}
	_ = json.Unmarshal(raw, &shapes)
	for _, s := range shapes {
		for _, v := range s.V2.CustomFields {
			f.Add([]byte(v))
		}
		for _, v := range s.V1 {
			f.Add([]byte(v))
		}
	}
	f.Add([]byte(`[{"id":1,"label":"A"},2,"3"]`))
	types := []string{"varchar", "text", "double", "int", "monetary", "enum", "set", "address", "people", "org",
		"user", "date", "daterange", "time", "timerange", "phone", "json"}
	f.Fuzz(func(t *testing.T, value []byte) {
		for _, typ := range types {
			fs := NewFields([]Field{{Code: "k", Name: "F", Type: typ, Options: []FieldOption{{"1", "One"}}}})
			v, ok, err := fs.Resolve(CustomFields{"k": value}, "k")
			if err == nil && ok && v.Field.Type != typ {
				t.Fatalf("resolved against the wrong field: %+v", v.Field)
			}
		}
	})
}

// FuzzTimeAndDate decodes any JSON value as a timestamp and as a calendar date.
func FuzzTimeAndDate(f *testing.F) {
	for _, s := range []string{`"2021-01-01T00:00:00Z"`, `"2019-12-09 13:59:21"`, `"2025-03-10"`, `null`, `""`,
		`"0000-00-00 00:00:00"`, `"2021-01-01T00:00:00+02:00"`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var tm Time
		_ = tm.UnmarshalJSON(b)
		var d Date
		if d.UnmarshalJSON(b) == nil && !d.IsZero() {
			again, err := ParseDate(d.String())
			if err != nil || again != d {
				t.Fatalf("date %v does not round-trip: %v", d, err)
			}
		}
	})
}
