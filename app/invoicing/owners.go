package invoicing

import (
	"context"
	"errors"
	"fmt"
	"slices"
)

// Owners returns the CRM's users, to name the owners of deals. The list is
// read once per Service and kept in memory. Offline it is empty, not an
// error, and is read again on the next call.
func (s *Service) Owners(ctx context.Context) ([]Owner, error) {
	s.mu.Lock()
	known := s.owners
	s.mu.Unlock()
	if known != nil {
		return slices.Clone(known), nil
	}
	owners, err := s.crm.Users(ctx)
	switch {
	case errors.Is(err, ErrOffline):
		return []Owner{}, nil
	case err != nil:
		return nil, fmt.Errorf("read the CRM's users: %w", err)
	}
	if owners == nil {
		owners = []Owner{}
	}
	s.mu.Lock()
	s.owners = owners
	s.mu.Unlock()
	return slices.Clone(owners), nil
}
