package pipedrive

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
)

// Note is a note on a deal (API v1).
type Note struct {
	ID           int64  `json:"id"`
	Content      string `json:"content"` // HTML
	DealID       int64  `json:"deal_id"`
	UserID       int64  `json:"user_id"`
	PinnedToDeal bool   `json:"pinned_to_deal_flag"`
	Active       bool   `json:"active_flag"`
	AddTime      Time   `json:"add_time"`
	UpdateTime   Time   `json:"update_time"`
}

type noteBody struct {
	Content      string `json:"content"`
	DealID       int64  `json:"deal_id,omitempty"`
	PinnedToDeal *int   `json:"pinned_to_deal_flag,omitempty"`
}

// CreateNote adds a note to a deal. content is HTML (Pipedrive sanitizes it); pinned pins it to the deal.
func (c *Client) CreateNote(ctx context.Context, dealID int64, content string, pinned bool) (Note, error) {
	if dealID <= 0 || content == "" {
		return Note{}, errors.New("pipedrive: a note needs a deal and content")
	}
	body := noteBody{Content: content, DealID: dealID, PinnedToDeal: flag(pinned)}
	var n Note
	_, err := c.do(ctx, request{method: http.MethodPost, path: "/api/v1/notes", body: body}, &n)
	return n, err
}

// DealNotes returns every note on a deal (v1 GET /notes?deal_id=, 20 tokens a page of up to
// MaxPageSize), to find a note whose answer was lost.
func (c *Client) DealNotes(ctx context.Context, dealID int64) ([]Note, error) {
	if dealID <= 0 {
		return nil, errors.New("pipedrive: listing notes needs a deal")
	}
	return listV1[Note](ctx, c, "/api/v1/notes", url.Values{"deal_id": {strconv.FormatInt(dealID, 10)}})
}

// UpdateNote replaces the content of a note.
func (c *Client) UpdateNote(ctx context.Context, noteID int64, content string) (Note, error) {
	if noteID <= 0 || content == "" {
		return Note{}, errors.New("pipedrive: a note update needs a note id and content")
	}
	var n Note
	path := "/api/v1/notes/" + strconv.FormatInt(noteID, 10)
	_, err := c.do(ctx, request{method: http.MethodPut, path: path, body: noteBody{Content: content}}, &n)
	return n, err
}

// flag is Pipedrive's 0/1 "numberBoolean".
func flag(b bool) *int {
	n := 0
	if b {
		n = 1
	}
	return &n
}

// Note reads one note (v1 GET /notes/{id}, 2 tokens).
func (c *Client) Note(ctx context.Context, noteID int64) (Note, error) {
	if noteID <= 0 {
		return Note{}, errors.New("pipedrive: reading a note needs its id")
	}
	var n Note
	err := c.get(ctx, "/api/v1/notes/"+strconv.FormatInt(noteID, 10), nil, &n)
	return n, err
}
