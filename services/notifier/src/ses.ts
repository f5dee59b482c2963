import type { EmailMessage, EmailSender } from './channels';

/**
 * Customer e-mail through SES. The SDK client is imported on first use only, so a stack without
 * e-mail never pays its import at a cold start (the AWS SDK comes from the Lambda runtime).
 */
export const sesEmailSender = async (): Promise<EmailSender> => {
  const { SESv2Client, SendEmailCommand } = await import('@aws-sdk/client-sesv2');
  const ses = new SESv2Client({});
  return {
    async send(message: EmailMessage): Promise<void> {
      await ses.send(
        new SendEmailCommand({
          FromEmailAddress: message.from,
          Destination: { ToAddresses: [message.to] },
          Content: {
            Simple: {
              Subject: { Data: message.subject, Charset: 'UTF-8' },
              Body: {
                Text: { Data: message.text, Charset: 'UTF-8' },
                ...(message.html && { Html: { Data: message.html, Charset: 'UTF-8' } }),
              },
            },
          },
        }),
      );
    },
  };
};
