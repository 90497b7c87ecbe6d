package quickbooks

import (
	"encoding/json"
	"strings"
	"testing"

	"dealbooks/integrations/internal/fuzzseed"
)

// seedSamples seeds f with the testdata samples whose names start with one of prefixes, cut into small parts
// (fuzzseed.Split) so that the fuzzer's minimizer does not stall a short run on a 1 KB sample.
func seedSamples(f *testing.F, prefixes ...string) {
	seeds, err := fuzzseed.Samples(prefixes...)
	if err != nil {
		f.Fatal(err)
	}
	for _, b := range seeds {
		f.Add(b)
	}
}

// An invoice that decodes must encode and decode again to the same amounts.
func FuzzDecodeInvoice(f *testing.F) {
	seedSamples(f, "invoice_", "airbyte_invoice")
	f.Fuzz(func(t *testing.T, b []byte) {
		var env struct{ Invoice *Invoice }
		if json.Unmarshal(b, &env) != nil || env.Invoice == nil {
			var inv Invoice
			if json.Unmarshal(b, &inv) != nil {
				return
			}
			env.Invoice = &inv
		}
		out, err := json.Marshal(env.Invoice)
		if err != nil {
			t.Fatalf("decoded invoice does not encode: %v", err)
		}
		var again Invoice
		if err := json.Unmarshal(out, &again); err != nil {
			t.Fatalf("re-encoded invoice does not decode: %v\n%s", err, out)
		}
		if (again.TotalAmt == nil) != (env.Invoice.TotalAmt == nil) ||
			again.TotalAmt != nil && !again.TotalAmt.Equal(env.Invoice.TotalAmt.Decimal) {
			t.Fatalf("TotalAmt changed: %v -> %v", env.Invoice.TotalAmt, again.TotalAmt)
		}
	})
}

// Any body may come back with an error status; parsing must not panic and
// a parsed fault must describe itself.
func FuzzParseFault(f *testing.F) {
	seedSamples(f, "fault_", "oauth_token_error")
	f.Add([]byte(lowercase401))
	f.Fuzz(func(t *testing.T, b []byte) {
		if fault := parseFault(b); fault != nil {
			_ = fault.Error()
			_, _, _ = fault.DuplicateTxn()
		}
	})
}

func FuzzDecodeCDC(f *testing.F) {
	seedSamples(f, "cdc_")
	f.Fuzz(func(t *testing.T, b []byte) {
		var env cdcEnvelope
		if json.Unmarshal(b, &env) != nil {
			return
		}
		ch, err := env.changes()
		if err == nil && ch == nil {
			t.Fatal("no changes and no error")
		}
	})
}

func FuzzDecodeCustomerQuery(f *testing.F) {
	seedSamples(f, "customer_query")
	f.Fuzz(func(t *testing.T, b []byte) {
		var env struct {
			QueryResponse map[string]json.RawMessage
		}
		if json.Unmarshal(b, &env) != nil {
			return
		}
		var cs []Customer
		_ = json.Unmarshal(env.QueryResponse["Customer"], &cs)
	})
}

// unquoteLiteral reads one single-quoted literal at the start of s, the way
// QuickBooks reads it, and returns it with the rest of s.
func unquoteLiteral(s string) (value, rest string, ok bool) {
	if !strings.HasPrefix(s, "'") {
		return "", "", false
	}
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		switch s[i] {
		case '\\':
			if i+1 == len(s) {
				return "", "", false
			}
			i++
			b.WriteByte(s[i])
		case '\'':
			return b.String(), s[i+1:], true
		default:
			b.WriteByte(s[i])
		}
	}
	return "", "", false
}

// Whatever the user typed, the statement holds exactly that value as one
// literal, and the LIKE pattern matches it literally.
func FuzzQueryBuilder(f *testing.F) {
	f.Add("Amy's Bird Sanctuary")
	f.Add(`back\slash`)
	f.Add("100% _real_")
	f.Add("' OR 1=1 --")
	f.Add(`\'`)
	f.Fuzz(func(t *testing.T, v string) {
		stmt, err := Select("Customer").Eq("DisplayName", v).Build()
		if err != nil {
			t.Fatal(err)
		}
		lit, rest, ok := unquoteLiteral(strings.TrimPrefix(stmt, "SELECT * FROM Customer WHERE DisplayName = "))
		if !ok || lit != v || rest != "" {
			t.Fatalf("%q: literal %q rest %q ok %v", stmt, lit, rest, ok)
		}

		stmt, err = Select("Customer").Contains("DisplayName", v).Build()
		if err != nil {
			t.Fatal(err)
		}
		pattern, rest, ok := unquoteLiteral(strings.TrimPrefix(stmt, "SELECT * FROM Customer WHERE DisplayName LIKE "))
		if !ok || rest != "" || !strings.HasPrefix(pattern, "%") || !strings.HasSuffix(pattern, "%") {
			t.Fatalf("%q: pattern %q rest %q", stmt, pattern, rest)
		}
		// Inside the wildcards every % and _ must be escaped.
		inner := pattern[1 : len(pattern)-1]
		var plain strings.Builder
		for i := 0; i < len(inner); i++ {
			switch c := inner[i]; {
			case c == '\\' && i+1 < len(inner):
				i++
				plain.WriteByte(inner[i])
			case c == '%' || c == '_' || c == '\\':
				t.Fatalf("%q: unescaped %q in pattern %q", v, c, pattern)
			default:
				plain.WriteByte(c)
			}
		}
		if plain.String() != v {
			t.Fatalf("pattern %q stands for %q, want %q", pattern, plain.String(), v)
		}
	})
}

func TestQueryBuilder(t *testing.T) {
	tests := []struct {
		q    Query
		want string
	}{
		{Select("Invoice").In("Id", "1", "2").Page(1, 1000), `SELECT * FROM Invoice WHERE Id IN ('1', '2') STARTPOSITION 1 MAXRESULTS 1000`},
		{Select("Invoice").Where("MetaData.LastUpdatedTime", ">", "2024-01-01T00:00:00-08:00").OrderBy("Id", true),
			`SELECT * FROM Invoice WHERE MetaData.LastUpdatedTime > '2024-01-01T00:00:00-08:00' ORDERBY Id DESC`},
		{Select("Customer").HasPrefix("DisplayName", "50%").Eq("Active", "true"),
			`SELECT * FROM Customer WHERE DisplayName LIKE '50\\%%' AND Active = 'true'`},
	}
	for _, tt := range tests {
		got, err := tt.q.Build()
		if err != nil || got != tt.want {
			t.Errorf("got %q, %v\nwant %q", got, err, tt.want)
		}
	}
	bad := []Query{
		Select("Customer; DROP"),
		Select("Customer").Eq("Display Name", "x"),
		Select("Customer").Where("Id", "=='", "1"),
		Select("Customer").In("Id"),
		Select("Customer").OrderBy("Id DESC, x", false),
		Select("Customer").Page(1, 1001),
	}
	for _, q := range bad {
		if s, err := q.Build(); err == nil {
			t.Errorf("built %q", s)
		}
	}
	// Builders are values: extending one does not change another.
	base := Select("Invoice").Eq("DocNumber", "1")
	a, b := base.Eq("Id", "1"), base.Eq("Id", "2")
	sa, _ := a.Build()
	sb, _ := b.Build()
	if sa == sb {
		t.Error("derived queries share conditions")
	}
}
