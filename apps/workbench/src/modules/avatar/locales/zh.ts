import type { AvatarStrings } from './en.ts';

/** 坐席头像的中文文案。 */
export const zh: AvatarStrings = {
  avatar: '我的头像',
  avatarHint: '访客会在您的消息旁看到它。PNG、JPEG、GIF 或 WebP，不超过 200 KB。',
  choose: '选择图片',
  remove: '移除头像',
  failed: '头像未保存：{error}',
};
