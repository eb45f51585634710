package discordtest

// ModalField is a text field's value in a submitted modal.
type ModalField struct {
	ID    string // the text input's custom_id
	Value string
}

// ModalSubmit is a submitted modal to dispatch: the answer to a
// CallbackModal.
type ModalSubmit struct {
	Origin
	CustomID string // the modal's custom_id
	Fields   []ModalField
	// MessageID is the bot message whose component opened the modal; ""
	// for a modal opened by a slash command.
	MessageID string
}

// DispatchModalSubmit sends INTERACTION_CREATE of type 5 (MODAL_SUBMIT),
// with each field in an action row of its own, as Discord does.
func (s *Server) DispatchModalSubmit(m ModalSubmit) Interaction {
	s.t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	o, err := s.resolveOriginLocked(m.Origin)
	if err != nil {
		s.t.Fatalf("discordtest: %v", err)
	}
	rows := []obj{}
	for _, f := range m.Fields {
		rows = append(rows, obj{"type": 1, "components": []obj{{"type": 4, "custom_id": f.ID, "value": f.Value}}})
	}
	data := obj{"custom_id": m.CustomID, "components": rows}
	var message obj
	if m.MessageID != "" {
		msg, ok := s.messages[m.MessageID]
		if !ok {
			s.t.Fatalf("discordtest: DispatchModalSubmit: unknown message %s", m.MessageID)
		}
		message = s.messageJSONLocked(msg)
	}
	return s.dispatchInteractionLocked(InteractionModalSubmit, o, data, m.MessageID, message)
}
