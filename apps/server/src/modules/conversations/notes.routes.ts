import { ConversationNote, ConversationNoteList, CreateNoteBody, IdParams } from '@frontdesk/protocol';
import { principalOf, type AuthHooks } from '../../platform/http/auth.ts';
import type { HttpServer } from '../../platform/http/http-server.ts';
import type { NotesService } from './notes.ts';

export function registerNoteRoutes(http: HttpServer, { notes, auth }: { notes: NotesService; auth: AuthHooks }) {
  const tags = ['conversations'];
  const staff = auth.staff('agent');

  http.get(
    '/v1/conversations/:id/notes',
    { preHandler: staff, schema: { tags, summary: "The conversation's internal notes, oldest first (staff only; never shown to the visitor)", params: IdParams, response: { 200: ConversationNoteList } } },
    async (request) => ({ notes: await notes.listNotes(principalOf(request), request.params.id) }),
  );

  http.post(
    '/v1/conversations/:id/notes',
    { preHandler: staff, schema: { tags, summary: 'Add an internal note to a conversation (staff only)', params: IdParams, body: CreateNoteBody, response: { 201: ConversationNote } } },
    async (request, reply) => reply.code(201).send(await notes.addNote(principalOf(request), request.params.id, request.body.text)),
  );
}
