export { Badge, type BadgeProps, type BadgeTone } from './Badge.tsx';
export { Button, type ButtonProps, type ButtonVariant } from './Button.tsx';
export { Dialog, type DialogProps } from './Dialog.tsx';
export { Field, type FieldProps } from './Field.tsx';
export { Icon, type IconName } from './Icon.tsx';
export { Table, type TableColumn, type TableProps } from './Table.tsx';
export { ToastProvider, useToast, type ToastInput, type ToastTone } from './Toast.tsx';
