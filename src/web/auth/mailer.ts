/** Sends a sign-in link. Vklad has no mail server of its own: by default the link goes to the log. */
export interface Mailer {
  sendSignInLink(to: string, link: string, lang: 'ru' | 'en'): Promise<void>;
}

export const logMailer: Mailer = {
  async sendSignInLink(to, link) {
    console.log(`sign-in link for ${to}: ${link}`);
  },
};
