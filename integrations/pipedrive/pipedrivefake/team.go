package pipedrivefake

import (
	"net/http"
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
