package quickbooks

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"dealbooks/integrations/internal/httpx"
)

// MaxResults is the largest page QuickBooks returns for one query.
const MaxResults = 1000

// Query builds a QuickBooks query statement. Values are always quoted and
// escaped; field and entity names must be plain identifiers (dotted paths
// such as MetaData.LastUpdatedTime are allowed). Conditions are joined with
// AND, the only connective QuickBooks knows.
type Query struct {
	entity  string
	conds   []cond
	orderBy string
	desc    bool
	start   int
	max     int
}

type cond struct {
	field  string
	op     string
	values []string
}

// Select starts a "SELECT * FROM entity" query.
func Select(entity string) Query {
	return Query{entity: entity}
}

// Where adds "field op 'value'"; op is one of = < > <= >=.
func (q Query) Where(field, op, value string) Query {
	q.conds = append(append([]cond(nil), q.conds...), cond{field, op, []string{value}})
	return q
}

// Eq adds "field = 'value'".
func (q Query) Eq(field, value string) Query { return q.Where(field, "=", value) }

// In adds "field IN ('v1', 'v2', …)".
func (q Query) In(field string, values ...string) Query {
	q.conds = append(append([]cond(nil), q.conds...), cond{field, "IN", values})
	return q
}

// Contains adds "field LIKE '%text%'", with % and _ in text matched literally.
func (q Query) Contains(field, text string) Query {
	return q.like(field, "%"+EscapeLike(text)+"%")
}

// HasPrefix adds "field LIKE 'text%'", with % and _ in text matched literally.
func (q Query) HasPrefix(field, text string) Query {
	return q.like(field, EscapeLike(text)+"%")
}

func (q Query) like(field, pattern string) Query {
	q.conds = append(append([]cond(nil), q.conds...), cond{field, "LIKE", []string{pattern}})
	return q
}

// OrderBy sorts by field, ascending unless desc.
func (q Query) OrderBy(field string, desc bool) Query {
	q.orderBy, q.desc = field, desc
	return q
}

// Page asks for max results starting at the 1-based position start.
func (q Query) Page(start, max int) Query {
	q.start, q.max = start, max
	return q
}

var identRe = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z][A-Za-z0-9]*)*$`)

var ops = map[string]bool{"=": true, "<": true, ">": true, "<=": true, ">=": true, "IN": true, "LIKE": true}

// Build returns the statement, or an error for a bad name, operator or page.
func (q Query) Build() (string, error) {
	if !identRe.MatchString(q.entity) {
		return "", fmt.Errorf("quickbooks: query: bad entity name %q", q.entity)
	}
	var b strings.Builder
	b.WriteString("SELECT * FROM ")
	b.WriteString(q.entity)
	for i, c := range q.conds {
		if !identRe.MatchString(c.field) {
			return "", fmt.Errorf("quickbooks: query: bad field name %q", c.field)
		}
		if !ops[c.op] {
			return "", fmt.Errorf("quickbooks: query: bad operator %q", c.op)
		}
		if c.op == "IN" && len(c.values) == 0 {
			return "", fmt.Errorf("quickbooks: query: IN on %s with no values", c.field)
		}
		if i == 0 {
			b.WriteString(" WHERE ")
		} else {
			b.WriteString(" AND ")
		}
		b.WriteString(c.field + " " + c.op + " ")
		if c.op == "IN" {
			quoted := make([]string, len(c.values))
			for j, v := range c.values {
				quoted[j] = quote(v)
			}
			b.WriteString("(" + strings.Join(quoted, ", ") + ")")
		} else {
			b.WriteString(quote(c.values[0]))
		}
	}
	if q.orderBy != "" {
		if !identRe.MatchString(q.orderBy) {
			return "", fmt.Errorf("quickbooks: query: bad order field %q", q.orderBy)
		}
		b.WriteString(" ORDERBY " + q.orderBy)
		if q.desc {
			b.WriteString(" DESC")
		}
	}
	if q.start < 0 || q.max < 0 || q.max > MaxResults {
		return "", fmt.Errorf("quickbooks: query: bad page %d,%d", q.start, q.max)
	}
	if q.start > 0 {
		b.WriteString(" STARTPOSITION " + strconv.Itoa(q.start))
	}
	if q.max > 0 {
		b.WriteString(" MAXRESULTS " + strconv.Itoa(q.max))
	}
	return b.String(), nil
}

// quote wraps v in single quotes, escaping backslashes and quotes.
func quote(v string) string {
	v = strings.ReplaceAll(v, `\`, `\\`)
	v = strings.ReplaceAll(v, `'`, `\'`)
	return "'" + v + "'"
}

// EscapeLike escapes the LIKE wildcards % and _ so that text matches itself.
// Quotes and backslashes are escaped later, when the value is quoted.
func EscapeLike(text string) string {
	text = strings.ReplaceAll(text, `\`, `\\`)
	text = strings.ReplaceAll(text, `%`, `\%`)
	return strings.ReplaceAll(text, `_`, `\_`)
}

// Query runs q and returns one page of entity objects decoded into out
// (a pointer to a slice). An empty result leaves out empty.
func (c *Client) Query(ctx context.Context, q Query, out any) error {
	raw, err := c.queryRaw(ctx, q)
	if err != nil {
		return err
	}
	return decodeRows(q, raw, out)
}

// decodeRows decodes raw, the entity objects queryRaw returned for q, into
// out; nil raw (no objects) leaves out as it is.
func decodeRows(q Query, raw json.RawMessage, out any) error {
	if raw == nil {
		return nil
	}
	if err := json.Unmarshal(raw, out); err != nil {
		return fmt.Errorf("quickbooks: decoding %s query answer: %w", q.entity, err)
	}
	return nil
}

// queryRaw runs q and returns the JSON array of its entity objects, nil
// when the answer has none.
func (c *Client) queryRaw(ctx context.Context, q Query) (json.RawMessage, error) {
	stmt, err := q.Build()
	if err != nil {
		return nil, err
	}
	var env struct {
		QueryResponse map[string]json.RawMessage `json:"QueryResponse"`
	}
	if err := c.get(ctx, "/query", url.Values{"query": {stmt}}, &env); err != nil {
		return nil, err
	}
	return env.QueryResponse[q.entity], nil
}

// ErrEndlessListing is matched by the error of a listing stopped because the
// server kept sending full pages: the same page again, or more than
// Config.MaxPages pages.
var ErrEndlessListing = httpx.ErrEndlessListing

// queryAll pages through every result of q, ordered by Id. A server that
// sends a page it sent before, or full pages without end, is stopped with an
// error matching ErrEndlessListing.
func queryAll[T any](ctx context.Context, c *Client, q Query) ([]T, error) {
	q = q.OrderBy("Id", false)
	var all []T
	pager := httpx.Pager{Limit: c.cfg.MaxPages}
	for start := 1; ; start += MaxResults {
		raw, err := c.queryRaw(ctx, q.Page(start, MaxResults))
		if err != nil {
			return nil, err
		}
		// The client asks for new positions itself, so a page is known by its content.
		sum := sha256.Sum256(raw)
		if err := pager.Next(hex.EncodeToString(sum[:8])); err != nil {
			return nil, fmt.Errorf("quickbooks: %s query: %w", q.entity, err)
		}
		var page []T
		if err := decodeRows(q, raw, &page); err != nil {
			return nil, err
		}
		all = append(all, page...)
		if len(page) < MaxResults {
			return all, nil
		}
	}
}
