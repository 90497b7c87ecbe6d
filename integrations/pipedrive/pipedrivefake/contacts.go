package pipedrivefake

import (
	"net/http"
)

type entity int

const (
	entityDeal entity = iota
	entityOrg
	entityPerson
)

func (s *Server) getOrganization(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(w, r)
	if !ok {
		return
	}
	s.mu.Lock()
	o, found := s.data.organization(id)
	var out Organization
	if found {
		out = *o
		out.CustomFields = renderCustomFields(s.data.OrganizationFields, o.CustomFields, r.URL.Query())
	}
	s.mu.Unlock()
	if !found {
		writeError(w, http.StatusNotFound, "Entity was not found")
		return
	}
	writeData(w, out)
}

func (s *Server) getPerson(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(w, r)
	if !ok {
		return
	}
	s.mu.Lock()
	p, found := s.data.person(id)
	var out Person
	if found {
		out = *p
		out.CustomFields = renderCustomFields(s.data.PersonFields, p.CustomFields, r.URL.Query())
	}
	s.mu.Unlock()
	if !found {
		writeError(w, http.StatusNotFound, "Entity was not found")
		return
	}
	writeData(w, out)
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

func (s *Server) usersMe(w http.ResponseWriter, _ *http.Request) {
	s.mu.Lock()
	me := s.data.Me
	s.mu.Unlock()
	writeData(w, me)
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
