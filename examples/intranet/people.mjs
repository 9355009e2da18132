// The intranet's own directory of people, as a company's single sign-on would know them.
// Lectern receives only the id and the roles, never a name.
export const people = {
  alex: { name: 'Alex (author)', roles: ['author'] },
  kim: { name: 'Kim (critic)', roles: ['critic'] },
  sam: { name: 'Sam (viewer)', roles: ['viewer'] },
  tara: { name: 'Tara (trainer)', roles: ['trainer'] },
  pat: { name: 'Pat (admin)', roles: ['admin'] },
};
