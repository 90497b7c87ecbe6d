package pipedrivefake

import (
	"cmp"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// paginate cuts one cursor page (limit 1..500, default 100) out of items, answering 400 itself (ok false)
// on a bad limit or cursor.
func paginate[T any](w http.ResponseWriter, q url.Values, items []T) (page []T, next string, ok bool) {
	limit := 100
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 500 {
			writeError(w, http.StatusBadRequest, "Validation failed: limit: Must be a number between 1 and 500")
			return nil, "", false
		}
		limit = n
	}
	offset := 0
	if c := q.Get("cursor"); c != "" {
		var pos struct {
			Offset int `json:"offset"`
		}
		raw, err := base64.RawURLEncoding.DecodeString(c)
		if err != nil || json.Unmarshal(raw, &pos) != nil || pos.Offset < 0 {
			writeError(w, http.StatusBadRequest, "Validation failed: cursor: Invalid cursor")
			return nil, "", false
		}
		offset = pos.Offset
	}
	if offset > len(items) {
		offset = len(items)
	}
	end := min(offset+limit, len(items))
	if end < len(items) {
		next = base64.RawURLEncoding.EncodeToString(fmt.Appendf(nil, `{"offset":%d}`, end))
	}
	return items[offset:end], next, true
}

// pathID reads the {id} path value, answering 400 itself when it is not a positive integer.
func pathID(w http.ResponseWriter, r *http.Request) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		writeError(w, http.StatusBadRequest, "Validation failed: id: Must be a positive integer")
		return 0, false
	}
	return id, true
}

// filters reads optional query filters, keeping the first validation failure for a single 400 answer.
type filters struct {
	q       url.Values
	invalid string
}

func (f *filters) fail(msg string) {
	if f.invalid == "" {
		f.invalid = msg
	}
}

// id reads a positive integer; 0 when absent.
func (f *filters) id(name string) int64 {
	v := f.q.Get(name)
	if v == "" {
		return 0
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id <= 0 {
		f.fail("Validation failed: " + name + ": Must be a positive integer")
	}
	return id
}

// maxIDs is how many ids the ids filter of a v2 list accepts.
const maxIDs = 100

// ids reads the ids filter, a comma-separated list of at most maxIDs positive integers; nil when absent.
func (f *filters) ids() []int64 {
	v := f.q.Get("ids")
	if v == "" {
		return nil
	}
	var ids []int64
	for part := range strings.SplitSeq(v, ",") {
		id, err := strconv.ParseInt(strings.TrimSpace(part), 10, 64)
		if err != nil || id <= 0 {
			f.fail("Validation failed: ids: Must be a comma separated list of positive integers")
			return nil
		}
		ids = append(ids, id)
	}
	if len(ids) > maxIDs {
		f.fail("Validation failed: ids: Must contain at most 100 ids")
		return nil
	}
	return ids
}

// time reads an RFC 3339 instant; zero when absent.
func (f *filters) time(name string) time.Time {
	v := f.q.Get(name)
	if v == "" {
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		f.fail("Validation failed: " + name + ": Must be an RFC3339 date-time")
	}
	return t
}

var dealStatuses = []string{"open", "won", "lost", "deleted"}

func (s *Server) listDeals(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	statuses := []string{"open", "won", "lost"}
	if v := q.Get("status"); v != "" {
		statuses = strings.Split(v, ",")
		for _, st := range statuses {
			if !slices.Contains(dealStatuses, st) {
				writeError(w, http.StatusBadRequest, "Validation failed: status: Must be one of open, won, lost, deleted")
				return
			}
		}
	}
	f := filters{q: q}
	owner, person, org, stage := f.id("owner_id"), f.id("person_id"), f.id("org_id"), f.id("stage_id")
	since, until := f.time("updated_since"), f.time("updated_until")
	ids := f.ids()
	if f.invalid != "" {
		writeError(w, http.StatusBadRequest, f.invalid)
		return
	}
	sortBy, dir := cmp.Or(q.Get("sort_by"), "id"), cmp.Or(q.Get("sort_direction"), "asc")
	if !slices.Contains([]string{"id", "update_time", "add_time"}, sortBy) || (dir != "asc" && dir != "desc") {
		writeError(w, http.StatusBadRequest, "Validation failed: sort_by/sort_direction")
		return
	}

	s.mu.Lock()
	var out []Deal
	for _, d := range s.data.Deals {
		switch {
		case d.IsArchived,
			!slices.Contains(statuses, d.Status),
			owner != 0 && d.OwnerID != owner,
			person != 0 && (d.PersonID == nil || *d.PersonID != person),
			org != 0 && (d.OrgID == nil || *d.OrgID != org),
			stage != 0 && d.StageID != stage,
			!since.IsZero() && d.UpdateTime.Before(since),
			!until.IsZero() && !d.UpdateTime.Before(until),
			ids != nil && !slices.Contains(ids, d.ID):
			continue
		}
		out = append(out, s.renderDeal(d, q))
	}
	s.mu.Unlock()

	slices.SortFunc(out, func(a, b Deal) int {
		c := 0
		switch sortBy {
		case "update_time":
			c = a.UpdateTime.Compare(b.UpdateTime)
		case "add_time":
			c = a.AddTime.Compare(b.AddTime)
		}
		c = cmp.Or(c, cmp.Compare(a.ID, b.ID))
		if dir == "desc" {
			c = -c
		}
		return c
	})
	page, next, ok := paginate(w, q, out)
	if ok {
		writeList(w, page, next)
	}
}

// renderDeal applies include_option_labels and the custom_fields selection. Caller holds s.mu.
func (s *Server) renderDeal(d Deal, q url.Values) Deal {
	d.CustomFields = renderCustomFields(s.data.DealFields, d.CustomFields, q)
	return d
}

// renderCustomFields gives every custom field of the entity (null when unset), limited to the requested
// keys, with enum/set ids replaced by {id,label} objects when include_option_labels=true.
func renderCustomFields(defs []Field, values map[string]any, q url.Values) map[string]any {
	var only []string
	if v := q.Get("custom_fields"); v != "" {
		only = strings.Split(v, ",")
	}
	labels := q.Get("include_option_labels") == "true"
	out := map[string]any{}
	for _, f := range defs {
		if !f.IsCustomField || (only != nil && !slices.Contains(only, f.FieldCode)) {
			continue
		}
		v := values[f.FieldCode]
		if labels && v != nil {
			v = withLabels(f, v)
		}
		out[f.FieldCode] = v
	}
	return out
}

func withLabels(f Field, v any) any {
	label := func(id int64) map[string]any {
		for _, o := range f.Options {
			if o.ID == id {
				return map[string]any{"id": id, "label": o.Label}
			}
		}
		return map[string]any{"id": id, "label": nil}
	}
	switch x := v.(type) {
	case int64:
		if f.FieldType == "enum" {
			return label(x)
		}
	case []int64:
		if f.FieldType == "set" {
			out := make([]map[string]any, len(x))
			for i, id := range x {
				out[i] = label(id)
			}
			return out
		}
	}
	return v
}

func (s *Server) getDeal(w http.ResponseWriter, r *http.Request) {
	s.serveOne(w, r, func(id int64, q url.Values) (any, bool) {
		d, found := s.data.deal(id)
		if !found {
			return nil, false
		}
		return s.renderDeal(*d, q), true
	})
}

// serveOne answers GET …/{id} with the record find renders under the lock, or Pipedrive's 404.
func (s *Server) serveOne(w http.ResponseWriter, r *http.Request, find func(id int64, q url.Values) (any, bool)) {
	id, ok := pathID(w, r)
	if !ok {
		return
	}
	s.mu.Lock()
	out, found := find(id, r.URL.Query())
	s.mu.Unlock()
	if !found {
		writeError(w, http.StatusNotFound, "Entity was not found")
		return
	}
	writeData(w, out)
}

func (s *Server) listDealProducts(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(w, r)
	if !ok {
		return
	}
	q := r.URL.Query()
	order, ok := lineOrder(w, q, "id", "add_time", "update_time", "order_nr")
	if !ok {
		return
	}
	s.mu.Lock()
	_, found := s.data.deal(id)
	var lines []DealProduct
	for _, p := range s.data.DealProducts {
		if p.DealID == id {
			lines = append(lines, p)
		}
	}
	s.mu.Unlock()
	if !found {
		writeError(w, http.StatusNotFound, "Entity was not found")
		return
	}
	slices.SortFunc(lines, order)
	page, next, ok := paginate(w, q, lines)
	if ok {
		writeList(w, page, next)
	}
}

// maxDealIDs is how many deals GET /api/v2/deals/products names at most ("A maximum of 100 deal IDs can be
// provided").
const maxDealIDs = 100

// listDealsProducts serves GET /api/v2/deals/products?deal_ids=…: the lines of up to 100 deals in one
// cursor-paginated list (x-token-cost 10 a page). deal_ids is required; deals that do not exist add no lines.
func (s *Server) listDealsProducts(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	var ids []int64
	for part := range strings.SplitSeq(q.Get("deal_ids"), ",") {
		id, err := strconv.ParseInt(strings.TrimSpace(part), 10, 64)
		if err != nil || id <= 0 {
			writeError(w, http.StatusBadRequest, "Validation failed: deal_ids: Must be an array of positive integers")
			return
		}
		ids = append(ids, id)
	}
	if len(ids) > maxDealIDs {
		writeError(w, http.StatusBadRequest, "Validation failed: deal_ids: Must contain at most 100 ids")
		return
	}
	order, ok := lineOrder(w, q, "id", "deal_id", "add_time", "update_time", "order_nr")
	if !ok {
		return
	}
	s.mu.Lock()
	var lines []DealProduct
	for _, p := range s.data.DealProducts {
		if _, found := s.data.deal(p.DealID); found && slices.Contains(ids, p.DealID) {
			lines = append(lines, p)
		}
	}
	s.mu.Unlock()
	slices.SortFunc(lines, order)
	if page, next, ok := paginate(w, q, lines); ok {
		writeList(w, page, next)
	}
}

// lineOrder reads sort_by (one of allowed, default id) and sort_direction (asc or desc) of a list of
// deal products, answering 400 itself when either is not allowed. Lines equal on the field keep id order.
func lineOrder(w http.ResponseWriter, q url.Values, allowed ...string) (func(a, b DealProduct) int, bool) {
	sortBy, dir := cmp.Or(q.Get("sort_by"), "id"), cmp.Or(q.Get("sort_direction"), "asc")
	if !slices.Contains(allowed, sortBy) || (dir != "asc" && dir != "desc") {
		writeError(w, http.StatusBadRequest, "Validation failed: sort_by/sort_direction")
		return nil, false
	}
	return func(a, b DealProduct) int {
		c := 0
		switch sortBy {
		case "deal_id":
			c = cmp.Compare(a.DealID, b.DealID)
		case "order_nr":
			c = cmp.Compare(a.OrderNr, b.OrderNr)
		case "add_time":
			c = a.AddTime.Compare(b.AddTime)
		case "update_time":
			c = a.UpdateTime.Compare(b.UpdateTime)
		}
		c = cmp.Or(c, cmp.Compare(a.ID, b.ID))
		if dir == "desc" {
			c = -c
		}
		return c
	}, true
}

func (s *Server) listDealDiscounts(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(w, r)
	if !ok {
		return
	}
	s.mu.Lock()
	_, found := s.data.deal(id)
	discounts := []Discount{}
	for _, d := range s.data.Discounts {
		if d.DealID == id {
			discounts = append(discounts, d)
		}
	}
	s.mu.Unlock()
	if !found {
		writeError(w, http.StatusNotFound, "Entity was not found")
		return
	}
	writeData(w, discounts)
}

func (s *Server) listInstallments(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	var ids []int64
	for part := range strings.SplitSeq(q.Get("deal_ids"), ",") {
		id, err := strconv.ParseInt(part, 10, 64)
		if err != nil {
			writeError(w, http.StatusBadRequest, "Validation failed: deal_ids: Must be a list of up to 100 integers")
			return
		}
		ids = append(ids, id)
	}
	if len(ids) > 100 {
		writeError(w, http.StatusBadRequest, "Validation failed: deal_ids: Must be a list of up to 100 integers")
		return
	}
	s.mu.Lock()
	var out []Installment
	for _, in := range s.data.Installments {
		if slices.Contains(ids, in.DealID) {
			out = append(out, in)
		}
	}
	s.mu.Unlock()
	page, next, ok := paginate(w, q, out)
	if ok {
		writeList(w, page, next)
	}
}

// searchItem is one deal hit of /api/v2/deals/search.
type searchItem struct {
	ID           int64    `json:"id"`
	Type         string   `json:"type"`
	Title        string   `json:"title"`
	Value        Num      `json:"value"`
	Currency     string   `json:"currency"`
	Status       string   `json:"status"`
	VisibleTo    int      `json:"visible_to"`
	Owner        idRef    `json:"owner"`
	Stage        any      `json:"stage"`
	Person       any      `json:"person"`
	Organization any      `json:"organization"`
	CustomFields []string `json:"custom_fields"`
	Notes        []string `json:"notes"`
	IsArchived   bool     `json:"is_archived"`
}

type idRef struct {
	ID int64 `json:"id"`
}

type searchHit struct {
	ResultScore float64    `json:"result_score"`
	Item        searchItem `json:"item"`
}

func (s *Server) searchDeals(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	term := strings.TrimSpace(q.Get("term"))
	exact := q.Get("exact_match") == "true"
	if n := len([]rune(term)); n < 2 && (n == 0 || !exact) {
		writeError(w, http.StatusBadRequest, "Validation failed: term: Search term must be at least 2 characters long")
		return
	}
	status := q.Get("status")
	if status != "" && !slices.Contains(dealStatuses[:3], status) {
		writeError(w, http.StatusBadRequest, "Validation failed: status: Must be one of open, won, lost")
		return
	}
	f := filters{q: q}
	personID, orgID := f.id("person_id"), f.id("organization_id")
	if f.invalid != "" {
		writeError(w, http.StatusBadRequest, f.invalid)
		return
	}
	in := map[string]bool{"title": true, "custom_fields": true, "notes": true}
	if v := q.Get("fields"); v != "" {
		clear(in)
		for field := range strings.SplitSeq(v, ",") {
			if field != "title" && field != "custom_fields" && field != "notes" {
				writeError(w, http.StatusBadRequest, "Validation failed: fields: Must be any of custom_fields, notes, title")
				return
			}
			in[field] = true
		}
	}
	match := func(text string) bool {
		if exact {
			return strings.EqualFold(text, term)
		}
		return strings.Contains(strings.ToLower(text), strings.ToLower(term))
	}

	s.mu.Lock()
	var hits []searchHit
	for _, d := range s.data.Deals {
		if d.Status == "deleted" || (status != "" && d.Status != status) ||
			(personID != 0 && (d.PersonID == nil || *d.PersonID != personID)) ||
			(orgID != 0 && (d.OrgID == nil || *d.OrgID != orgID)) {
			continue
		}
		item := searchItem{ID: d.ID, Type: "deal", Title: d.Title, Value: d.Value, Currency: d.Currency,
			Status: d.Status, VisibleTo: d.VisibleTo, Owner: idRef{d.OwnerID},
			Stage:        map[string]any{"id": d.StageID, "name": s.data.stageName(d.StageID)},
			CustomFields: []string{}, Notes: []string{}, IsArchived: d.IsArchived}
		score := 0.0
		if in["title"] && match(d.Title) {
			score += 1
		}
		for _, text := range searchableCustomText(s.data.DealFields, d.CustomFields) {
			if in["custom_fields"] && match(text) {
				item.CustomFields = append(item.CustomFields, text)
				score += 0.5
			}
		}
		for _, n := range s.data.notes {
			if in["notes"] && n.DealID == d.ID && match(n.Content) {
				item.Notes = append(item.Notes, n.Content)
				score += 0.25
			}
		}
		if score == 0 {
			continue
		}
		if d.PersonID != nil {
			if p, ok := s.data.person(*d.PersonID); ok {
				item.Person = map[string]any{"id": p.ID, "name": p.Name}
			}
		}
		if d.OrgID != nil {
			if o, ok := s.data.organization(*d.OrgID); ok {
				var addr *string
				if o.Address != nil {
					addr = o.Address.Value
				}
				item.Organization = map[string]any{"id": o.ID, "name": o.Name, "address": addr}
			}
		}
		hits = append(hits, searchHit{ResultScore: score, Item: item})
	}
	s.mu.Unlock()

	slices.SortStableFunc(hits, func(a, b searchHit) int {
		return cmp.Or(cmp.Compare(b.ResultScore, a.ResultScore), cmp.Compare(a.Item.ID, b.Item.ID))
	})
	page, next, ok := paginate(w, q, hits)
	if !ok {
		return
	}
	if page == nil {
		page = []searchHit{}
	}
	var cursor any
	if next != "" {
		cursor = next
	}
	writeJSON(w, http.StatusOK, map[string]any{"success": true, "data": map[string]any{"items": page},
		"additional_data": map[string]any{"next_cursor": cursor}})
}

// searchableCustomText is the text of the custom fields Pipedrive searches (address, varchar, text,
// varchar_auto, double, monetary, phone).
func searchableCustomText(defs []Field, values map[string]any) []string {
	var out []string
	for _, f := range defs {
		v, ok := values[f.FieldCode]
		if !ok || v == nil {
			continue
		}
		switch f.FieldType {
		case "varchar", "text", "varchar_auto", "phone":
			if s, ok := v.(string); ok {
				out = append(out, s)
			}
		case "address":
			if a, ok := v.(*Address); ok && a.Value != nil {
				out = append(out, *a.Value)
			}
		case "double":
			if n, ok := v.(Num); ok {
				out = append(out, n.String())
			}
		case "monetary":
			if m, ok := v.(map[string]any); ok {
				if n, ok := m["value"].(Num); ok {
					out = append(out, n.String())
				}
			}
		}
	}
	return out
}
