package discordtest

import "sort"

// ModalSubmit is the submission of a modal to dispatch.
type ModalSubmit struct {
	Origin
	CustomID string
	// Values are the text inputs' values by their custom ids, each in an
	// action row of its own, in the order of their ids.
	Values map[string]string
}

// DispatchModalSubmit sends a modal's submission, over the gateway or to
// the interactions endpoint.
func (s *Server) DispatchModalSubmit(m ModalSubmit) Interaction {
	s.t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	o, err := s.resolveOriginLocked(m.Origin)
	if err != nil {
		s.t.Fatalf("discordtest: %v", err)
	}
	ids := make([]string, 0, len(m.Values))
	for id := range m.Values {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	rows := []obj{}
	for _, id := range ids {
		rows = append(rows, obj{"type": 1, "components": []obj{{"type": 4, "custom_id": id, "value": m.Values[id]}}})
	}
	return s.dispatchInteractionLocked(InteractionModalSubmit, o, obj{"custom_id": m.CustomID, "components": rows}, "", nil)
}
