package qbofake

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/shopspring/decimal"
)

// maxQueryResults is QuickBooks' largest page.
const maxQueryResults = 1000

// The entities the query language reaches, and the fields each can filter
// and sort on (QuickBooks answers 4001 for any other field).
var filterable = map[string][]string{
	"Invoice":     {"Id", "DocNumber", "TxnDate", "DueDate", "CustomerRef", "TotalAmt", "Balance", "MetaData.CreateTime", "MetaData.LastUpdatedTime"},
	"Customer":    {"Id", "DisplayName", "GivenName", "FamilyName", "CompanyName", "FullyQualifiedName", "Active", "Balance", "MetaData.CreateTime", "MetaData.LastUpdatedTime"},
	"Item":        {"Id", "Name", "Type", "Active", "FullyQualifiedName", "MetaData.CreateTime", "MetaData.LastUpdatedTime"},
	"TaxCode":     {"Id", "Name", "Active"},
	"TaxRate":     {"Id", "Name", "Active"},
	"Term":        {"Id", "Name", "Active"},
	"Payment":     {"Id", "CustomerRef", "TxnDate", "TotalAmt", "MetaData.CreateTime", "MetaData.LastUpdatedTime"},
	"CompanyInfo": {"Id"},
	"Preferences": {"Id"},
}

// Name-list entities: queries return only active ones unless they say otherwise.
var nameLists = map[string]bool{"Customer": true, "Item": true, "TaxCode": true, "TaxRate": true, "Term": true}

// statement is a parsed query.
type statement struct {
	count   bool
	fields  []string // nil for *
	entity  string
	conds   []condition
	orderBy string
	desc    bool
	start   int
	max     int
}

type condition struct {
	field  string
	op     string // = < > <= >= != IN LIKE
	values []literal
}

type literal struct {
	text   string
	quoted bool
}

type token struct {
	text   string
	quoted bool // a string literal, already unescaped
	pos    int
}

func tokenize(s string) ([]token, error) {
	var toks []token
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '\'':
			var b strings.Builder
			j := i + 1
			for ; j < len(s) && s[j] != '\''; j++ {
				if s[j] == '\\' && j+1 < len(s) {
					j++
				}
				b.WriteByte(s[j])
			}
			if j >= len(s) {
				return nil, fmt.Errorf("lexical error at line 1, column %d: unterminated string %q", len(s)+1, s[i:])
			}
			toks = append(toks, token{text: b.String(), quoted: true, pos: i})
			i = j + 1
		case strings.IndexByte("*(),", c) >= 0:
			toks = append(toks, token{text: string(c), pos: i})
			i++
		case c == '<' || c == '>' || c == '=' || c == '!':
			j := i + 1
			if j < len(s) && (s[j] == '=' || c == '<' && s[j] == '>') {
				j++
			}
			toks = append(toks, token{text: s[i:j], pos: i})
			i = j
		case isWordByte(c):
			j := i
			for j < len(s) && isWordByte(s[j]) {
				j++
			}
			toks = append(toks, token{text: s[i:j], pos: i})
			i = j
		default:
			return nil, fmt.Errorf("lexical error at line 1, column %d: unexpected %q", i+1, string(c))
		}
	}
	return toks, nil
}

func isWordByte(c byte) bool {
	return c < 128 && (unicode.IsLetter(rune(c)) || unicode.IsDigit(rune(c))) || c == '.' || c == '_' || c == '-' || c == '+' || c == ':'
}

type parser struct {
	toks []token
	i    int
}

func (p *parser) peek() token {
	if p.i < len(p.toks) {
		return p.toks[p.i]
	}
	return token{text: "<EOF>", pos: -1}
}

func (p *parser) next() token { t := p.peek(); p.i++; return t }

func (p *parser) fail(want string) error {
	t := p.peek()
	return fmt.Errorf("encountered %q at line 1, column %d; was expecting %s", t.text, t.pos+1, want)
}

// keyword consumes the keyword kw (any case) if it is next.
func (p *parser) keyword(kw string) bool {
	t := p.peek()
	if !t.quoted && strings.EqualFold(t.text, kw) {
		p.i++
		return true
	}
	return false
}

func (p *parser) symbol(sym string) bool {
	t := p.peek()
	if !t.quoted && t.text == sym {
		p.i++
		return true
	}
	return false
}

func (p *parser) ident() (string, error) {
	t := p.peek()
	if t.quoted || t.pos < 0 || !isIdent(t.text) {
		return "", p.fail("<IDENTIFIER>")
	}
	p.i++
	return t.text, nil
}

func isIdent(s string) bool {
	if s == "" || !unicode.IsLetter(rune(s[0])) {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(c < 128 && (unicode.IsLetter(rune(c)) || unicode.IsDigit(rune(c))) || c == '.' || c == '_') {
			return false
		}
	}
	return true
}

func (p *parser) number() (int, error) {
	t := p.peek()
	n, err := strconv.Atoi(t.text)
	if t.quoted || err != nil || n < 0 {
		return 0, p.fail("<INTEGER>")
	}
	p.i++
	return n, nil
}

func (p *parser) value() (literal, error) {
	t := p.peek()
	if t.pos < 0 || !t.quoted && strings.IndexByte("*(),=<>!", t.text[0]) >= 0 {
		return literal{}, p.fail("<STRING>")
	}
	p.i++
	return literal{text: t.text, quoted: t.quoted}, nil
}

// parseQuery parses the query subset QuickBooks accepts.
func parseQuery(s string) (*statement, error) {
	toks, err := tokenize(s)
	if err != nil {
		return nil, err
	}
	p := &parser{toks: toks}
	st := &statement{start: 1, max: 100}
	if !p.keyword("SELECT") {
		return nil, p.fail("\"SELECT\"")
	}
	switch {
	case p.symbol("*"):
	case p.keyword("COUNT"):
		if !p.symbol("(") || !p.symbol("*") || !p.symbol(")") {
			return nil, p.fail("\"(*)\"")
		}
		st.count = true
	default:
		for {
			f, err := p.ident()
			if err != nil {
				return nil, err
			}
			st.fields = append(st.fields, f)
			if !p.symbol(",") {
				break
			}
		}
	}
	if !p.keyword("FROM") {
		return nil, p.fail("\"FROM\"")
	}
	if st.entity, err = p.ident(); err != nil {
		return nil, err
	}
	if p.keyword("WHERE") {
		for {
			c, err := p.condition()
			if err != nil {
				return nil, err
			}
			st.conds = append(st.conds, c)
			if !p.keyword("AND") {
				break
			}
		}
	}
	if p.keyword("ORDERBY") || p.keyword("ORDER") && p.keyword("BY") {
		if st.orderBy, err = p.ident(); err != nil {
			return nil, err
		}
		if p.keyword("DESC") {
			st.desc = true
		} else {
			p.keyword("ASC")
		}
	}
	if p.keyword("STARTPOSITION") {
		if st.start, err = p.number(); err != nil {
			return nil, err
		}
		if st.start < 1 {
			st.start = 1
		}
	}
	if p.keyword("MAXRESULTS") {
		if st.max, err = p.number(); err != nil {
			return nil, err
		}
	}
	if p.i != len(p.toks) {
		return nil, p.fail("<EOF>")
	}
	return st, nil
}

func (p *parser) condition() (condition, error) {
	field, err := p.ident()
	if err != nil {
		return condition{}, err
	}
	c := condition{field: field}
	switch {
	case p.keyword("IN"):
		c.op = "IN"
		if !p.symbol("(") {
			return c, p.fail("\"(\"")
		}
		for {
			v, err := p.value()
			if err != nil {
				return c, err
			}
			c.values = append(c.values, v)
			if p.symbol(")") {
				break
			}
			if !p.symbol(",") {
				return c, p.fail("\",\"")
			}
		}
	case p.keyword("LIKE"):
		c.op = "LIKE"
		v, err := p.value()
		if err != nil {
			return c, err
		}
		if !v.quoted {
			return c, p.fail("<STRING>")
		}
		c.values = []literal{v}
	default:
		t := p.next()
		switch t.text {
		case "=", "<", ">", "<=", ">=", "!=", "<>":
			c.op = t.text
		default:
			p.i--
			return c, p.fail("\"=\"")
		}
		v, err := p.value()
		if err != nil {
			return c, err
		}
		c.values = []literal{v}
	}
	return c, nil
}

// canonicalEntity matches an entity name regardless of case.
func canonicalEntity(name string) (string, bool) {
	for e := range filterable {
		if strings.EqualFold(e, name) {
			return e, true
		}
	}
	return "", false
}

// canonicalField matches a filterable field of entity regardless of case.
func canonicalField(entity, field string) (string, bool) {
	for _, f := range filterable[entity] {
		if strings.EqualFold(f, field) {
			return f, true
		}
	}
	return "", false
}

// runQuery parses and runs a query against the company and returns the
// QueryResponse member.
func (co *company) runQuery(q string) (map[string]any, *apiError) {
	st, err := parseQuery(q)
	if err != nil {
		return nil, errQueryParse(err.Error())
	}
	entity, ok := canonicalEntity(st.entity)
	if !ok {
		return nil, errQueryParse(fmt.Sprintf("Invalid entity %q in the query", st.entity))
	}
	if st.max > maxQueryResults {
		return nil, errQueryParse(fmt.Sprintf("MAXRESULTS must not exceed %d", maxQueryResults))
	}
	activeGiven := false
	for i, c := range st.conds {
		f, ok := canonicalField(entity, c.field)
		if !ok {
			return nil, errQueryInvalid(fmt.Sprintf("property '%s' is not queryable", c.field))
		}
		st.conds[i].field = f
		activeGiven = activeGiven || f == "Active"
	}
	if st.orderBy != "" {
		f, ok := canonicalField(entity, st.orderBy)
		if !ok {
			return nil, errQueryInvalid(fmt.Sprintf("property '%s' is not sortable", st.orderBy))
		}
		st.orderBy = f
	}
	var rows []map[string]any
	for _, obj := range co.objects(entity) {
		row := toMap(obj)
		if nameLists[entity] && !activeGiven && row["Active"] == false {
			continue
		}
		if st.matches(row) {
			rows = append(rows, row)
		}
	}
	if st.count {
		return map[string]any{"totalCount": len(rows)}, nil
	}
	if st.orderBy != "" {
		sort.SliceStable(rows, func(i, j int) bool {
			c := compare(field(rows[i], st.orderBy), literalOf(field(rows[j], st.orderBy)))
			if st.desc {
				return c > 0
			}
			return c < 0
		})
	}
	from := min(st.start-1, len(rows))
	rows = rows[from:min(from+st.max, len(rows))]
	if len(rows) == 0 {
		return map[string]any{}, nil
	}
	if st.fields != nil {
		rows = project(rows, st.fields)
	}
	return map[string]any{entity: rows, "startPosition": st.start, "maxResults": len(rows)}, nil
}

func (st *statement) matches(row map[string]any) bool {
	for _, c := range st.conds {
		v := field(row, c.field)
		ok := false
		switch c.op {
		case "IN":
			for _, l := range c.values {
				ok = ok || compare(v, l) == 0
			}
		case "LIKE":
			s, isStr := v.(string)
			ok = isStr && like(s, c.values[0].text)
		default:
			r := compare(v, c.values[0])
			switch c.op {
			case "=":
				ok = r == 0
			case "!=", "<>":
				ok = r != 0
			case "<":
				ok = r < 0
			case ">":
				ok = r > 0
			case "<=":
				ok = r <= 0
			case ">=":
				ok = r >= 0
			}
		}
		if !ok {
			return false
		}
	}
	return true
}

// toMap turns an object into generic JSON, numbers kept as json.Number.
func toMap(obj any) map[string]any {
	b, _ := json.Marshal(obj)
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var m map[string]any
	_ = dec.Decode(&m)
	return m
}

// field reads a dotted path; a reference object yields its value.
func field(row map[string]any, path string) any {
	var v any = row
	for _, part := range strings.Split(path, ".") {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[part]
	}
	if ref, ok := v.(map[string]any); ok {
		return ref["value"]
	}
	return v
}

func literalOf(v any) literal {
	switch x := v.(type) {
	case string:
		return literal{text: x, quoted: true}
	case json.Number:
		return literal{text: x.String()}
	case bool:
		return literal{text: strconv.FormatBool(x)}
	}
	return literal{}
}

// compare orders a stored value against a literal: numbers as numbers,
// timestamps as instants, text without regard to case. A missing value sorts
// first.
func compare(v any, l literal) int {
	switch x := v.(type) {
	case nil:
		if l.text == "" {
			return 0
		}
		return -1
	case json.Number:
		a, err1 := decimal.NewFromString(x.String())
		b, err2 := decimal.NewFromString(l.text)
		if err1 == nil && err2 == nil {
			return a.Cmp(b)
		}
		return strings.Compare(x.String(), l.text)
	case bool:
		return strings.Compare(strconv.FormatBool(x), strings.ToLower(l.text))
	case string:
		if isTimestamp(x) && isTimestamp(l.text) {
			a, errA := time.Parse(time.RFC3339, x)
			b, errB := time.Parse(time.RFC3339, l.text)
			if errA == nil && errB == nil {
				return a.Compare(b)
			}
		}
		if a, err := strconv.Atoi(x); err == nil {
			if b, err := strconv.Atoi(l.text); err == nil {
				return a - b
			}
		}
		return strings.Compare(strings.ToLower(x), strings.ToLower(l.text))
	}
	return -1
}

// isTimestamp tells a date-time ("2024-01-01T00:00:00-08:00") from other text.
func isTimestamp(s string) bool { return len(s) > 10 && s[10] == 'T' }

// like matches s against a LIKE pattern: % is any run of characters, and a
// backslash makes the next character literal. Case is ignored.
func like(s, pattern string) bool {
	parts := []string{""} // the literal runs between wildcards
	for i := 0; i < len(pattern); i++ {
		c := pattern[i]
		switch {
		case c == '\\' && i+1 < len(pattern):
			i++
			parts[len(parts)-1] += pattern[i : i+1]
		case c == '%':
			parts = append(parts, "")
		default:
			parts[len(parts)-1] += pattern[i : i+1]
		}
	}
	s = strings.ToLower(s)
	for i := range parts {
		parts[i] = strings.ToLower(parts[i])
	}
	if len(parts) == 1 {
		return s == parts[0]
	}
	first, last := parts[0], parts[len(parts)-1]
	if !strings.HasPrefix(s, first) {
		return false
	}
	s = s[len(first):]
	for _, mid := range parts[1 : len(parts)-1] {
		at := strings.Index(s, mid)
		if at < 0 {
			return false
		}
		s = s[at+len(mid):]
	}
	return strings.HasSuffix(s, last)
}

// project keeps the requested fields of each row, plus Id.
func project(rows []map[string]any, fields []string) []map[string]any {
	out := make([]map[string]any, len(rows))
	for i, r := range rows {
		p := map[string]any{"Id": r["Id"], "sparse": true}
		for _, f := range fields {
			for k, v := range r {
				if strings.EqualFold(k, f) {
					p[k] = v
				}
			}
		}
		out[i] = p
	}
	return out
}
