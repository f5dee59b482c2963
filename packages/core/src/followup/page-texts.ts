/**
 * The texts of the survey link's pages in each built-in language (the languages of the messages;
 * a test holds them equal). Placeholders: {{reference}}, {{score}}.
 */
export interface PageTexts {
  readonly pageTitle: string;
  readonly pageQuestion: string;
  readonly pageThanks: string;
  /** The score link's page: the score chosen, to be sent with one more tap (mail scanners never send it). */
  readonly pageConfirm: string;
  readonly answerSend: string;
  /** This survey has taken all the answers it takes (the last one counts). */
  readonly answerLimit: string;
  /** The link was used too often in an hour. */
  readonly tooMany: string;
  readonly commentLabel: string;
  readonly commentSend: string;
  readonly commentThanks: string;
  readonly invalidLink: string;
  readonly expiredLink: string;
}

export const PAGE_TEXTS: Readonly<Record<string, PageTexts>> = {
  en: {
    pageTitle: 'Your feedback',
    pageQuestion: 'How satisfied are you with our help on your request {{reference}}?',
    pageThanks: 'Thank you! We recorded your score: {{score}} of 5.',
    pageConfirm: 'Please confirm your score for your request {{reference}}. You can still change it.',
    answerSend: 'Send my answer',
    answerLimit: 'Thank you, we already have your answer: the last one you sent counts.',
    tooMany: 'This link was used too often. Please try again in an hour.',
    commentLabel: 'Anything you would like to tell us? (optional)',
    commentSend: 'Send',
    commentThanks: 'Thank you, we have your comment.',
    invalidLink: 'This link is not valid. Please use the link from our message exactly as it was sent.',
    expiredLink: 'This survey link has expired. Thank you all the same!',
  },
  ja: {
    pageTitle: 'ご意見',
    pageQuestion: 'お問い合わせ {{reference}} の対応にどの程度ご満足いただけましたか。',
    pageThanks: 'ありがとうございました。評価 {{score}}（5段階）を承りました。',
    pageConfirm: 'お問い合わせ {{reference}} の評価をご確認ください。ここで変更することもできます。',
    answerSend: '回答を送信',
    answerLimit: 'ご回答はすでに承っております。最後にお送りいただいた回答が有効です。',
    tooMany: 'このリンクへのアクセスが多すぎます。1時間後にもう一度お試しください。',
    commentLabel: 'ご意見がございましたらお聞かせください（任意）',
    commentSend: '送信',
    commentThanks: 'ありがとうございました。ご意見を承りました。',
    invalidLink: 'このリンクは無効です。メッセージに記載されたリンクをそのままご利用ください。',
    expiredLink: 'このアンケートのリンクは有効期限が切れています。ご協力ありがとうございました。',
  },
  ko: {
    pageTitle: '의견',
    pageQuestion: '문의 {{reference}}에 대한 저희 도움에 얼마나 만족하셨나요?',
    pageThanks: '감사합니다! 점수 {{score}}/5점을 기록했습니다.',
    pageConfirm: '문의 {{reference}}에 대한 점수를 확인해 주세요. 여기에서 바꿀 수도 있습니다.',
    answerSend: '답변 보내기',
    answerLimit: '이미 답변을 받았습니다. 마지막으로 보내 주신 답변이 반영됩니다.',
    tooMany: '이 링크가 너무 자주 사용되었습니다. 한 시간 뒤에 다시 시도해 주세요.',
    commentLabel: '더 하실 말씀이 있으신가요? (선택)',
    commentSend: '보내기',
    commentThanks: '감사합니다. 의견을 잘 받았습니다.',
    invalidLink: '유효하지 않은 링크입니다. 메시지에 있는 링크를 그대로 사용해 주세요.',
    expiredLink: '이 설문 링크는 만료되었습니다. 그래도 감사합니다!',
  },
  ar: {
    pageTitle: 'رأيك',
    pageQuestion: 'ما مدى رضاك عن مساعدتنا في طلبك {{reference}}؟',
    pageThanks: 'شكراً لك! سجّلنا تقييمك: {{score}} من 5.',
    pageConfirm: 'يُرجى تأكيد تقييمك لطلبك {{reference}}. لا يزال بإمكانك تغييره.',
    answerSend: 'إرسال إجابتي',
    answerLimit: 'شكراً لك، لقد تلقّينا إجابتك بالفعل: آخر إجابة أرسلتها هي المعتمدة.',
    tooMany: 'استُخدم هذا الرابط مرات كثيرة. يُرجى المحاولة مرة أخرى بعد ساعة.',
    commentLabel: 'هل تود أن تخبرنا بشيء؟ (اختياري)',
    commentSend: 'إرسال',
    commentThanks: 'شكراً لك، وصلنا تعليقك.',
    invalidLink: 'هذا الرابط غير صالح. يُرجى استخدام الرابط الوارد في رسالتنا كما هو.',
    expiredLink: 'انتهت صلاحية رابط هذا الاستطلاع. شكراً لك على أي حال!',
  },
  ro: {
    pageTitle: 'Părerea dumneavoastră',
    pageQuestion: 'Cât de mulțumit(ă) sunteți de ajutorul nostru cu solicitarea {{reference}}?',
    pageThanks: 'Vă mulțumim! Am înregistrat nota: {{score}} din 5.',
    pageConfirm: 'Vă rugăm să confirmați nota pentru solicitarea {{reference}}. O puteți schimba încă.',
    answerSend: 'Trimite răspunsul',
    answerLimit: 'Vă mulțumim, avem deja răspunsul dumneavoastră: contează ultimul trimis.',
    tooMany: 'Acest link a fost folosit de prea multe ori. Vă rugăm să încercați din nou peste o oră.',
    commentLabel: 'Doriți să ne spuneți ceva? (opțional)',
    commentSend: 'Trimite',
    commentThanks: 'Vă mulțumim, am primit comentariul dumneavoastră.',
    invalidLink: 'Acest link nu este valid. Folosiți linkul din mesajul nostru exact așa cum a fost trimis.',
    expiredLink: 'Linkul acestui sondaj a expirat. Vă mulțumim oricum!',
  },
  es: {
    pageTitle: 'Su opinión',
    pageQuestion: '¿Qué tan satisfecho está con nuestra ayuda en su solicitud {{reference}}?',
    pageThanks: '¡Gracias! Hemos registrado su valoración: {{score}} de 5.',
    pageConfirm: 'Confirme su valoración de la solicitud {{reference}}. Aún puede cambiarla.',
    answerSend: 'Enviar mi respuesta',
    answerLimit: 'Gracias, ya tenemos su respuesta: cuenta la última que envió.',
    tooMany: 'Este enlace se ha usado demasiadas veces. Inténtelo de nuevo dentro de una hora.',
    commentLabel: '¿Quiere contarnos algo más? (opcional)',
    commentSend: 'Enviar',
    commentThanks: 'Gracias, hemos recibido su comentario.',
    invalidLink: 'Este enlace no es válido. Use el enlace de nuestro mensaje tal como se envió.',
    expiredLink: 'El enlace de esta encuesta ha caducado. ¡Gracias de todos modos!',
  },
  fr: {
    pageTitle: 'Votre avis',
    pageQuestion: 'Dans quelle mesure êtes-vous satisfait de notre aide pour votre demande {{reference}} ?',
    pageThanks: 'Merci ! Nous avons enregistré votre note : {{score}} sur 5.',
    pageConfirm:
      'Veuillez confirmer votre note pour votre demande {{reference}}. Vous pouvez encore la modifier.',
    answerSend: 'Envoyer ma réponse',
    answerLimit: "Merci, nous avons déjà votre réponse : c'est la dernière envoyée qui compte.",
    tooMany: 'Ce lien a été utilisé trop souvent. Veuillez réessayer dans une heure.',
    commentLabel: 'Souhaitez-vous nous dire quelque chose ? (facultatif)',
    commentSend: 'Envoyer',
    commentThanks: 'Merci, nous avons bien reçu votre commentaire.',
    invalidLink: "Ce lien n'est pas valide. Utilisez le lien de notre message tel qu'il a été envoyé.",
    expiredLink: 'Le lien de ce questionnaire a expiré. Merci quand même !',
  },
  de: {
    pageTitle: 'Ihre Meinung',
    pageQuestion: 'Wie zufrieden sind Sie mit unserer Hilfe bei Ihrer Anfrage {{reference}}?',
    pageThanks: 'Vielen Dank! Wir haben Ihre Bewertung erfasst: {{score}} von 5.',
    pageConfirm:
      'Bitte bestätigen Sie Ihre Bewertung zu Ihrer Anfrage {{reference}}. Sie können sie noch ändern.',
    answerSend: 'Antwort senden',
    answerLimit: 'Vielen Dank, wir haben Ihre Antwort bereits: Es zählt die zuletzt gesendete.',
    tooMany: 'Dieser Link wurde zu oft verwendet. Bitte versuchen Sie es in einer Stunde erneut.',
    commentLabel: 'Möchten Sie uns noch etwas mitteilen? (optional)',
    commentSend: 'Senden',
    commentThanks: 'Vielen Dank, wir haben Ihren Kommentar erhalten.',
    invalidLink: 'Dieser Link ist ungültig. Bitte verwenden Sie den Link aus unserer Nachricht unverändert.',
    expiredLink: 'Der Link dieser Umfrage ist abgelaufen. Trotzdem vielen Dank!',
  },
  pt: {
    pageTitle: 'A sua opinião',
    pageQuestion: 'Quão satisfeito você está com a nossa ajuda na solicitação {{reference}}?',
    pageThanks: 'Obrigado! Registramos a sua avaliação: {{score}} de 5.',
    pageConfirm: 'Confirme a sua avaliação do pedido {{reference}}. Ainda pode alterá-la.',
    answerSend: 'Enviar a minha resposta',
    answerLimit: 'Obrigado, já temos a sua resposta: vale a última que enviou.',
    tooMany: 'Este link foi usado vezes demais. Tente novamente daqui a uma hora.',
    commentLabel: 'Quer nos contar mais alguma coisa? (opcional)',
    commentSend: 'Enviar',
    commentThanks: 'Obrigado, recebemos o seu comentário.',
    invalidLink: 'Este link não é válido. Use o link da nossa mensagem exatamente como foi enviado.',
    expiredLink: 'O link desta pesquisa expirou. Obrigado mesmo assim!',
  },
  zh: {
    pageTitle: '您的反馈',
    pageQuestion: '您对我们在请求 {{reference}} 上的帮助满意吗？',
    pageThanks: '谢谢！我们已记录您的评分：{{score}} 分（满分 5 分）。',
    pageConfirm: '请确认您对请求 {{reference}} 的评分。您仍可以修改。',
    answerSend: '提交我的回答',
    answerLimit: '谢谢，我们已收到您的回答：以您最后提交的为准。',
    tooMany: '此链接使用次数过多。请一小时后再试。',
    commentLabel: '还有什么想告诉我们的吗？（可选）',
    commentSend: '提交',
    commentThanks: '谢谢，我们已收到您的意见。',
    invalidLink: '此链接无效。请按原样使用我们消息中的链接。',
    expiredLink: '此调查链接已过期。仍然感谢您！',
  },
  'zh-Hant': {
    pageTitle: '您的意見',
    pageQuestion: '您對我們在請求 {{reference}} 上的協助滿意嗎？',
    pageThanks: '謝謝！我們已記錄您的評分：{{score}} 分（滿分 5 分）。',
    pageConfirm: '請確認您對請求 {{reference}} 的評分。您仍可以修改。',
    answerSend: '送出我的回答',
    answerLimit: '謝謝，我們已收到您的回答：以您最後送出的為準。',
    tooMany: '此連結使用次數過多。請一小時後再試。',
    commentLabel: '還有什麼想告訴我們的嗎？（選填）',
    commentSend: '送出',
    commentThanks: '謝謝，我們已收到您的意見。',
    invalidLink: '此連結無效。請依原樣使用我們訊息中的連結。',
    expiredLink: '此問卷連結已過期。仍然感謝您！',
  },
};
