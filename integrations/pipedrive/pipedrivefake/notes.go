package pipedrivefake

import (
	"encoding/json"
	"net/http"
	"strconv"
	"time"
)

// noteRequest is the JSON body of POST /v1/notes and PUT /v1/notes/{id}; pinned flags are 0/1.
type noteRequest struct {
	Content          *string `json:"content"`
	DealID           int64   `json:"deal_id"`
	PinnedToDealFlag *int    `json:"pinned_to_deal_flag"`
}

func decodeNoteRequest(w http.ResponseWriter, r *http.Request) (noteRequest, bool) {
	var req noteRequest
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&req); err != nil {
		writeError(w, http.StatusBadRequest, "Invalid request: body must be JSON")
		return req, false
	}
	if req.PinnedToDealFlag != nil && *req.PinnedToDealFlag != 0 && *req.PinnedToDealFlag != 1 {
		writeError(w, http.StatusBadRequest, "Validation failed: pinned_to_deal_flag: Must be 0 or 1")
		return req, false
	}
	return req, true
}

// v1Now is the current time in the v1 format (YYYY-MM-DD HH:MM:SS, UTC).
func (s *Server) v1Now() string { return s.opts.Now().UTC().Format(time.DateTime) }

func (s *Server) createNote(w http.ResponseWriter, r *http.Request) {
	req, ok := decodeNoteRequest(w, r)
	if !ok {
		return
	}
	if req.Content == nil || *req.Content == "" {
		writeError(w, http.StatusBadRequest, "Validation failed: content: Parameter is required")
		return
	}
	if req.DealID == 0 {
		writeError(w, http.StatusBadRequest, "Validation failed: deal_id, lead_id, person_id, org_id, project_id or task_id is required")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	d, found := s.data.deal(req.DealID)
	if !found {
		writeError(w, http.StatusNotFound, "Deal not found")
		return
	}
	me := s.caller(r)
	n := Note{
		ID: s.data.nextNoteID, ActiveFlag: true, AddTime: s.v1Now(), UpdateTime: s.v1Now(),
		Content: *req.Content, Deal: &TitleRef{d.Title}, DealID: d.ID, OrgID: d.OrgID, PersonID: d.PersonID,
		PinnedToDealFlag: req.PinnedToDealFlag != nil && *req.PinnedToDealFlag == 1,
		LastUpdateUserID: me.ID, UserID: me.ID,
		User: NoteUser{Email: me.Email, IconURL: me.IconURL, IsYou: true, Name: me.Name},
	}
	if d.OrgID != nil {
		if o, ok := s.data.organization(*d.OrgID); ok {
			n.Organization = &NameRef{o.Name}
		}
	}
	if d.PersonID != nil {
		if p, ok := s.data.person(*d.PersonID); ok {
			n.Person = &NameRef{p.Name}
		}
	}
	s.data.nextNoteID++
	s.data.notes = append(s.data.notes, n)
	writeData(w, n)
}

func (s *Server) updateNote(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(w, r)
	if !ok {
		return
	}
	req, ok := decodeNoteRequest(w, r)
	if !ok {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := range s.data.notes {
		n := &s.data.notes[i]
		if n.ID != id {
			continue
		}
		if req.Content != nil {
			n.Content = *req.Content
		}
		if req.PinnedToDealFlag != nil {
			n.PinnedToDealFlag = *req.PinnedToDealFlag == 1
		}
		n.UpdateTime = s.v1Now()
		writeData(w, n)
		return
	}
	writeError(w, http.StatusNotFound, "Note not found")
}

func (s *Server) getNote(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(w, r)
	if !ok {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, n := range s.data.notes {
		if n.ID == id {
			writeData(w, n)
			return
		}
	}
	writeError(w, http.StatusNotFound, "Note not found")
}

// maxNotesPage is the largest page of notes served, Pipedrive's v1 page limit.
const maxNotesPage = 500

// listNotes serves v1 GET /api/v1/notes: the active notes, of one deal with deal_id, oldest first,
// paged by start and limit.
func (s *Server) listNotes(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	var dealID int64
	if v := q.Get("deal_id"); v != "" {
		var err error
		if dealID, err = strconv.ParseInt(v, 10, 64); err != nil || dealID <= 0 {
			writeError(w, http.StatusBadRequest, "Validation failed: deal_id: Must be a positive integer")
			return
		}
	}
	start, limit := 0, 100
	if v := q.Get("start"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			writeError(w, http.StatusBadRequest, "Validation failed: start: Must be a non-negative integer")
			return
		}
		start = n
	}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n <= 0 {
			writeError(w, http.StatusBadRequest, "Validation failed: limit: Must be a positive integer")
			return
		}
		limit = min(n, maxNotesPage)
	}
	s.mu.Lock()
	var match []Note
	for _, n := range s.data.notes {
		if n.ActiveFlag && (dealID == 0 || n.DealID == dealID) {
			match = append(match, n)
		}
	}
	s.mu.Unlock()
	page := match[min(start, len(match)):min(start+limit, len(match))]
	more := start+limit < len(match)
	pagination := map[string]any{"start": start, "limit": limit, "more_items_in_collection": more}
	if more {
		pagination["next_start"] = start + limit
	}
	writeJSON(w, http.StatusOK, map[string]any{"success": true, "data": page,
		"additional_data": map[string]any{"pagination": pagination}})
}
