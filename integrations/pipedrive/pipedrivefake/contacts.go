package pipedrivefake

import (
	"cmp"
	"net/http"
	"net/url"
	"slices"
)

type entity int

const (
	entityDeal entity = iota
	entityOrg
	entityPerson
)

func (s *Server) getOrganization(w http.ResponseWriter, r *http.Request) {
	s.serveOne(w, r, func(id int64, q url.Values) (any, bool) {
		o, found := s.data.organization(id)
		if !found {
			return nil, false
		}
		out := *o
		out.CustomFields = renderCustomFields(s.data.OrganizationFields, o.CustomFields, q)
		return out, true
	})
}

// listOrganizations serves GET /api/v2/organizations, filtered by ids and owner_id, in id order.
func (s *Server) listOrganizations(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := filters{q: q}
	ids, owner := f.ids(), f.id("owner_id")
	if f.invalid != "" {
		writeError(w, http.StatusBadRequest, f.invalid)
		return
	}
	s.mu.Lock()
	var out []Organization
	for _, o := range s.data.Organizations {
		if o.IsDeleted || (ids != nil && !slices.Contains(ids, o.ID)) || (owner != 0 && o.OwnerID != owner) {
			continue
		}
		o.CustomFields = renderCustomFields(s.data.OrganizationFields, o.CustomFields, q)
		out = append(out, o)
	}
	s.mu.Unlock()
	slices.SortFunc(out, func(a, b Organization) int { return cmp.Compare(a.ID, b.ID) })
	if page, next, ok := paginate(w, q, out); ok {
		writeList(w, page, next)
	}
}

// listPersons serves GET /api/v2/persons, filtered by ids, owner_id and org_id, in id order.
func (s *Server) listPersons(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := filters{q: q}
	ids, owner, org := f.ids(), f.id("owner_id"), f.id("org_id")
	if f.invalid != "" {
		writeError(w, http.StatusBadRequest, f.invalid)
		return
	}
	s.mu.Lock()
	var out []Person
	for _, p := range s.data.Persons {
		if p.IsDeleted || (ids != nil && !slices.Contains(ids, p.ID)) || (owner != 0 && p.OwnerID != owner) ||
			(org != 0 && (p.OrgID == nil || *p.OrgID != org)) {
			continue
		}
		p.CustomFields = renderCustomFields(s.data.PersonFields, p.CustomFields, q)
		out = append(out, p)
	}
	s.mu.Unlock()
	slices.SortFunc(out, func(a, b Person) int { return cmp.Compare(a.ID, b.ID) })
	if page, next, ok := paginate(w, q, out); ok {
		writeList(w, page, next)
	}
}

func (s *Server) getPerson(w http.ResponseWriter, r *http.Request) {
	s.serveOne(w, r, func(id int64, q url.Values) (any, bool) {
		p, found := s.data.person(id)
		if !found {
			return nil, false
		}
		out := *p
		out.CustomFields = renderCustomFields(s.data.PersonFields, p.CustomFields, q)
		return out, true
	})
}

// listProducts serves GET /api/v2/products, filtered by ids and owner_id, in id order. Deleted products are
// left out.
func (s *Server) listProducts(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := filters{q: q}
	ids, owner := f.ids(), f.id("owner_id")
	if f.invalid != "" {
		writeError(w, http.StatusBadRequest, f.invalid)
		return
	}
	s.mu.Lock()
	var out []Product
	for _, p := range s.data.Products {
		if p.IsDeleted || (ids != nil && !slices.Contains(ids, p.ID)) || (owner != 0 && p.OwnerID != owner) {
			continue
		}
		out = append(out, p)
	}
	s.mu.Unlock()
	slices.SortFunc(out, func(a, b Product) int { return cmp.Compare(a.ID, b.ID) })
	if page, next, ok := paginate(w, q, out); ok {
		writeList(w, page, next)
	}
}

func (s *Server) getProduct(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(w, r)
	if !ok {
		return
	}
	s.mu.Lock()
	var out *Product
	for i := range s.data.Products {
		if s.data.Products[i].ID == id {
			p := s.data.Products[i]
			out = &p
		}
	}
	s.mu.Unlock()
	if out == nil {
		writeError(w, http.StatusNotFound, "Entity was not found")
		return
	}
	writeData(w, out)
}

func (s *Server) usersMe(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	me := s.caller(r)
	s.mu.Unlock()
	writeData(w, me)
}

// users serves v1 GET /api/v1/users: every user of the company, in one page.
func (s *Server) users(w http.ResponseWriter, _ *http.Request) {
	s.mu.Lock()
	us := slices.Clone(s.data.Users)
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"success": true, "data": us, "additional_data": map[string]any{
		"pagination": map[string]any{"start": 0, "limit": len(us), "more_items_in_collection": false}}})
}

func (s *Server) currencies(w http.ResponseWriter, _ *http.Request) {
	s.mu.Lock()
	cs := append([]Currency{}, s.data.Currencies...)
	s.mu.Unlock()
	writeData(w, cs)
}

func (s *Server) listFields(e entity) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		var defs []Field
		switch e {
		case entityDeal:
			defs = append(defs, s.data.DealFields...)
		case entityOrg:
			defs = append(defs, s.data.OrganizationFields...)
		case entityPerson:
			defs = append(defs, s.data.PersonFields...)
		}
		s.mu.Unlock()
		page, next, ok := paginate(w, r.URL.Query(), defs)
		if ok {
			writeList(w, page, next)
		}
	}
}
