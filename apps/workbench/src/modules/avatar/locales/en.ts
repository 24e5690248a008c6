/** English strings of the agent's avatar. */
export const en = {
  avatar: 'Your picture',
  avatarHint: 'Shown to visitors beside your messages. PNG, JPEG, GIF or WebP, up to 200 KB.',
  choose: 'Choose a picture',
  remove: 'Remove picture',
  failed: 'The picture was not saved: {error}',
};
export type AvatarStrings = typeof en;
