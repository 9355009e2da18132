// The intranet's own directory of people, as a company's single sign-on would know them.
// Lectern receives the id, the roles and the name (trainers see it in quiz results); nothing
// else about the person.
export const people = {
  alex: { name: 'Alex (author)', roles: ['author'] },
  kim: { name: 'Kim (critic)', roles: ['critic'] },
  sam: { name: 'Sam (viewer)', roles: ['viewer'] },
  tara: { name: 'Tara (trainer)', roles: ['trainer'] },
  pat: { name: 'Pat (admin)', roles: ['admin'] },
};
