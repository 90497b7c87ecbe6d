package pipedrivefake

import (
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"time"
)

// AddUserToken makes token the personal API token of the dataset's user userID, so several reps of one
// company can sign in to the same fake as different users. It reports false when there is no such user.
func (s *Server) AddUserToken(token string, userID int64) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, u := range s.data.Users {
		if u.ID == userID {
			s.tokenUsers[token] = userID
			return true
		}
	}
	return false
}

// caller is the user the request's API token belongs to (Dataset.Me for the default token and OAuth).
// s.mu must be held.
func (s *Server) caller(r *http.Request) User {
	id, ok := s.tokenUsers[r.Header.Get("x-api-token")]
	if !ok {
		return s.data.Me
	}
	for _, u := range s.data.Users {
		if u.ID == id {
			u.IsYou = true
			return u
		}
	}
	return s.data.Me
}

// DenyFieldChanges makes the users given, or every user when none is given, unable to add custom fields
// (403), as for users whose permission set does not allow changing the company's fields.
func (s *Server) DenyFieldChanges(userIDs ...int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(userIDs) == 0 {
		s.fieldsDenied = true
		return
	}
	if s.deniedUsers == nil {
		s.deniedUsers = map[int64]bool{}
	}
	for _, id := range userIDs {
		s.deniedUsers[id] = true
	}
}

// createField serves v2 POST /api/v2/{deal,organization}Fields: a custom field with a new 40-character code.
func (s *Server) createField(e entity) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var req struct {
			Name string `json:"field_name"`
			Type string `json:"field_type"`
		}
		if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&req); err != nil || req.Name == "" || req.Type == "" {
			writeError(w, http.StatusBadRequest, "Validation failed: field_name and field_type are required")
			return
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		if s.fieldsDenied || s.deniedUsers[s.caller(r).ID] {
			writeError(w, http.StatusForbidden, "You do not have permissions to do this.")
			return
		}
		sum := sha1.Sum([]byte(fmt.Sprintf("%d/%s/%d", e, req.Name, len(s.data.DealFields)+len(s.data.OrganizationFields))))
		f := Field{FieldName: req.Name, FieldCode: hex.EncodeToString(sum[:]), FieldType: req.Type, IsCustomField: true}
		switch e {
		case entityDeal:
			s.data.DealFields = append(s.data.DealFields, f)
		default:
			s.data.OrganizationFields = append(s.data.OrganizationFields, f)
		}
		writeData(w, f)
	}
}

// patchCustomFields serves v2 PATCH /api/v2/{organizations,deals}/{id} for custom_fields: a null value
// clears the field; codes that are no field of the entity are refused.
func (s *Server) patchCustomFields(e entity) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, ok := pathID(w, r)
		if !ok {
			return
		}
		var req struct {
			CustomFields map[string]any `json:"custom_fields"`
		}
		dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20))
		dec.UseNumber() // amounts stay exact, as Pipedrive keeps them
		if err := dec.Decode(&req); err != nil {
			writeError(w, http.StatusBadRequest, "Invalid request: body must be JSON")
			return
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		var (
			updated *time.Time
			values  *map[string]any
			defs    []Field
			out     any
		)
		switch e {
		case entityDeal:
			d, found := s.data.deal(id)
			if !found {
				writeError(w, http.StatusNotFound, "Entity was not found")
				return
			}
			updated, values, defs, out = &d.UpdateTime, &d.CustomFields, s.data.DealFields, d
		default:
			o, found := s.data.organization(id)
			if !found {
				writeError(w, http.StatusNotFound, "Entity was not found")
				return
			}
			updated, values, defs, out = &o.UpdateTime, &o.CustomFields, s.data.OrganizationFields, o
		}
		// Pipedrive refuses the whole request when one value is wrong: check them all before changing any.
		for code, v := range req.CustomFields {
			def := fieldByCode(defs, code)
			if code == "" || def.FieldCode != code {
				writeError(w, http.StatusBadRequest, "Validation failed: custom_fields: unknown field "+code)
				return
			}
			if v != nil && !fitsField(def.FieldType, v) {
				writeError(w, http.StatusBadRequest, "Validation failed: custom_fields: "+code+": invalid value for its field type")
				return
			}
		}
		*updated = s.opts.Now().UTC().Truncate(time.Second)
		if *values == nil {
			*values = map[string]any{}
		}
		for code, v := range req.CustomFields {
			if v == nil {
				delete(*values, code)
			} else {
				(*values)[code] = v
			}
		}
		writeData(w, out)
	}
}

// fieldByCode is the definition of the field with the code, the zero Field when there is none.
func fieldByCode(defs []Field, code string) Field {
	for _, f := range defs {
		if f.FieldCode == code {
			return f
		}
	}
	return Field{}
}

// fitsField reports whether v has the v2 shape of a value of the field type (pipedrive.md §3.8): text
// types a string, numbers a number, monetary {"value": number, "currency": string}. Other types are not
// checked.
func fitsField(fieldType string, v any) bool {
	switch fieldType {
	case "varchar", "varchar_auto", "text", "phone":
		_, ok := v.(string)
		return ok
	case "double", "int":
		_, ok := v.(json.Number)
		return ok
	case "monetary":
		m, ok := v.(map[string]any)
		if !ok {
			return false
		}
		_, num := m["value"].(json.Number)
		cur, str := m["currency"].(string)
		return num && str && cur != ""
	}
	return true
}
