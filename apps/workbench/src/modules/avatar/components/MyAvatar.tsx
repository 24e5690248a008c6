import { useMyAvatar } from '../hooks/use-my-avatar.ts';

/** The signed-in agent's picture in the top bar (nothing when it has none). */
export function MyAvatar() {
  const { url } = useMyAvatar();
  return url ? <img className="wb-avatar" src={url} alt="" width={24} height={24} data-testid="my-avatar" /> : null;
}
